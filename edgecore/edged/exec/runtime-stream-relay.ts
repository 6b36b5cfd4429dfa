/**
 * Relays one exec or attach stream (protocol.md R32, R43) to the runtime's streaming server at
 * the URL CRI Exec or Attach answered: stdin and resizes go to it, stdout and stderr come back
 * at the pace the stream's credit allows, and the error channel's Status ends the stream.
 */
import { parseErrorChannel, type ExecOutcome } from '../../../shared/k8s/remote-command.js';
import type { StreamError } from '../../../shared/protocol/index.js';
import type { ExecIo } from '../cri/index.js';
import { connectRuntimeExec, type RuntimeExecEvents } from './runtime-exec-connection.js';
import { connectRuntimeExecSpdy } from './runtime-exec-spdy.js';

/** The stream end an exec or attach handler uses (edgehub's StreamSink). */
export interface ExecSink {
  readonly signal: AbortSignal;
  accept(): void;
  write(bytes: Buffer, channel?: 'stdout' | 'stderr'): Promise<boolean>;
  end(error?: StreamError): void;
  exit(exitCode: number): void;
  onInput(listener: (input: { channel: 'stdin' | 'resize'; data: Buffer; eof: boolean }) => void): void;
  consumed(bytes: number): void;
}

/** `onRelayFailure` hears of output the stream could not take (the relay is closed then). */
export function relayRuntimeStream(url: string, io: ExecIo, sink: ExecSink, onRelayFailure: (err: unknown) => void): void {
  let outcome: ExecOutcome | undefined;
  let accepted = false;
  let output: Promise<void> = Promise.resolve();
  // With stdin and no terminal, the end of stdin matters (`echo data | kubectl exec -i pod -- cat`):
  // SPDY can half-close it, the websocket (v4) cannot. A terminal ends input with its own ^D.
  const connect = io.stdin && !io.tty ? (target: string, events: RuntimeExecEvents) => connectRuntimeExecSpdy(target, io, events) : connectRuntimeExec;
  const connection = connect(url, {
    onOpen() {
      accepted = true;
      sink.accept();
    },
    onOutput(channel, data, done) {
      // One write at a time, in order: a connection that closes can still hand over what it had
      // buffered, several messages at once, while the stream waits for credit (R28).
      output = output
        .then(async () => {
          if (await sink.write(data, channel)) done();
          else connection.close();
        })
        .catch((err: unknown) => {
          onRelayFailure(err);
          connection.close();
        });
    },
    onStatus(text) {
      outcome = parseErrorChannel(text);
    },
    onClose(failure) {
      // The end goes after the output still on its way, or the tail of it would be cut off (R32).
      void output.then(() => {
        if (outcome !== undefined && 'exitCode' in outcome) return sink.exit(outcome.exitCode);
        const message = outcome !== undefined && 'error' in outcome ? outcome.error : failure ?? 'the runtime closed the stream without a status';
        sink.end({ code: accepted ? 'Internal' : 'Unavailable', message });
      });
    },
  });
  sink.signal.addEventListener('abort', () => connection.close(), { once: true });
  sink.onInput((input) => {
    if (input.data.length > 0) connection.send(input.channel, input.data, () => sink.consumed(input.data.length));
    if (input.eof) connection.closeStdin();
  });
}
