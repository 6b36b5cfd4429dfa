/**
 * One forwarded connection (one kubectl requestID, or one port of a websocket port-forward)
 * relayed over its node stream (docs/protocol.md R44), whatever the client's transport: the
 * client's bytes go to the edge within the credit it granted (R28), the pod's bytes come back
 * as fast as the client takes them, and the end or failure is reported once, in kubelet's words.
 */
import type { PortForwardRequest } from '../../../shared/protocol/index.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';

/** What a transport gives a forwarded connection: its data stream and its error stream. */
export interface ClientEnds {
  /** The pod's bytes to the client; resolves false when the client can take no more (gone). */
  send(data: Buffer): Promise<boolean>;
  /** The forward is over: with a message (kubelet's sentence), it goes on the error stream first. */
  finish(error: string | undefined): void;
}

export interface ForwardedConnection {
  /** Client bytes for the pod; resolves once they are on their way, so the caller may read more. */
  input(data: Buffer): Promise<void>;
  /** The client half-closed its data stream. */
  inputEnd(): void;
  /** The client went away: the node stream is cancelled (R29). */
  cancel(reason: string): void;
  /** Settles when the connection is over and finish() was called. */
  readonly done: Promise<void>;
}

/** The message kubelet's port-forward writes on the error stream (kubectl prints it after "an error occurred forwarding"). */
export function forwardingError(request: PortForwardRequest, cause: string): string {
  return `error forwarding port ${request.port} to pod ${request.namespace}/${request.name}, uid ${request.uid}: ${cause}`;
}

export function forwardConnection(stream: HubStream, request: PortForwardRequest, ends: ClientEnds): ForwardedConnection {
  let inputChain: Promise<unknown> = Promise.resolve();
  let over = false;
  const done = pumpOutput(stream, request, ends)
    .catch((err: unknown) => {
      // A relay that broke still ends both sides, never an unhandled rejection.
      stream.cancel('the relay failed');
      ends.finish(forwardingError(request, `the relay failed: ${err instanceof Error ? err.message : String(err)}`));
    })
    .finally(() => {
      over = true;
    });
  return {
    input(data) {
      // HubStream.write must not overlap: inputs go one after the other, in order.
      const next = inputChain.then(async () => {
        if (!over) await stream.write('stdin', data);
      });
      inputChain = next;
      return next;
    },
    inputEnd() {
      inputChain = inputChain.then(() => {
        if (!over) stream.closeInput();
      });
    },
    cancel(reason) {
      stream.cancel(reason);
    },
    done,
  };
}

async function pumpOutput(stream: HubStream, request: PortForwardRequest, ends: ClientEnds): Promise<void> {
  for (;;) {
    const read: StreamRead = await stream.read();
    if (read.kind === 'data') {
      // The first, empty chunk is the edge's "connected" (R27); it carries nothing for the client.
      if (read.data.length === 0) continue;
      if (await ends.send(read.data)) continue;
      stream.cancel('the client went away');
      ends.finish(undefined);
      return;
    }
    ends.finish(read.kind === 'error' ? forwardingError(request, read.message) : undefined);
    return;
  }
}
