/**
 * Serves `kubectl exec` on the edge: an exec stream request (protocol.md R32) runs the command in
 * the pod's running container through CRI Exec and the runtime's streaming server, relaying
 * stdin and resizes to it and stdout and stderr back, at the pace the stream's credit allows,
 * and ends the stream with the command's exit code.
 */
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { parseErrorChannel, type ExecOutcome } from '../../../shared/k8s/remote-command.js';
import type { Logger } from '../../../shared/logging.js';
import type { ExecRequest, StreamError } from '../../../shared/protocol/index.js';
import type { CriClient } from '../cri/index.js';
import { LABELS } from '../podspec/index.js';
import { connectRuntimeExec, type RuntimeExecEvents } from './runtime-exec-connection.js';
import { connectRuntimeExecSpdy } from './runtime-exec-spdy.js';

/** The stream end an exec handler uses (edgehub's StreamSink). */
export interface ExecSink {
  readonly signal: AbortSignal;
  accept(): void;
  write(bytes: Buffer, channel?: 'stdout' | 'stderr'): Promise<boolean>;
  end(error?: StreamError): void;
  exit(exitCode: number): void;
  onInput(listener: (input: { channel: 'stdin' | 'resize'; data: Buffer; eof: boolean }) => void): void;
  consumed(bytes: number): void;
}

export interface ExecHandlerOptions {
  cri: CriClient;
  logger: Logger;
}

export type ExecHandler = (request: ExecRequest, sink: ExecSink) => void;

export function createExecHandler(options: ExecHandlerOptions): ExecHandler {
  return (request, sink) => {
    serve(options, request, sink).catch((err: unknown) => {
      options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}`, container: request.container }, 'exec failed');
      sink.end({ code: 'Internal', message: `exec in container "${request.container}" of pod "${request.name}": ${errorMessage(err)}` });
    });
  };
}

async function serve(options: ExecHandlerOptions, request: ExecRequest, sink: ExecSink): Promise<void> {
  const found = await findRunningContainer(options.cri, request);
  if (!found.ok) return sink.end({ code: found.code, message: found.message });
  const url = await options.cri.exec(found.value, request.command, { tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr });
  if (!url.ok) return sink.end({ code: url.code === 'NotFound' ? 'NotFound' : 'Internal', message: `error executing command in container: ${url.message}` });
  let outcome: ExecOutcome | undefined;
  let accepted = false;
  let output: Promise<void> = Promise.resolve();
  const io = { tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr };
  // With stdin and no terminal, the end of stdin matters (`echo data | kubectl exec -i pod -- cat`):
  // SPDY can half-close it, the websocket (v4) cannot. A terminal ends input with its own ^D.
  const connect = request.stdin && !request.tty ? (target: string, events: RuntimeExecEvents) => connectRuntimeExecSpdy(target, io, events) : connectRuntimeExec;
  const connection = connect(url.value, {
    onOpen() {
      accepted = true;
      sink.accept();
    },
    onOutput(channel, data, done) {
      // One write at a time, in order: a connection that closes can still hand over what it had
      // buffered, several messages at once, while the stream waits for credit (R28).
      output = output.then(async () => {
        if (await sink.write(data, channel)) done();
        else connection.close();
      }).catch((err: unknown) => {
        options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}` }, 'exec output could not be relayed');
        connection.close();
      });
    },
    onStatus(text) {
      outcome = parseErrorChannel(text);
    },
    onClose(failure) {
      // The end goes after the output still on its way, or the tail of it would be cut off.
      void output.then(() => {
        if (outcome !== undefined && 'exitCode' in outcome) return sink.exit(outcome.exitCode);
        const message = outcome !== undefined && 'error' in outcome ? outcome.error : failure ?? 'the runtime closed the exec without a status';
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

/** The running instance of the container, found by its CRI labels as kubelet's findContainer does. */
async function findRunningContainer(cri: CriClient, request: ExecRequest): Promise<Result<string>> {
  const listed = await cri.listContainers({ labelSelector: { [LABELS.podUid]: request.uid, [LABELS.containerName]: request.container } });
  if (!listed.ok) return fail('Unavailable', `the container runtime does not answer: ${listed.message}`);
  const running = listed.value.find((c) => c.state === 'CONTAINER_RUNNING');
  // kubelet's words (kubelet_pods.go GetExec), which kubectl prints after "unable to upgrade connection: ".
  if (running === undefined) return fail('BadRequest', `container not found (${JSON.stringify(request.container)})`);
  return ok(running.id);
}
