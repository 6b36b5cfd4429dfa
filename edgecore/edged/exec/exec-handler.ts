/**
 * Serves `kubectl exec` on the edge: an exec stream request (protocol.md R32) runs the command in
 * the pod's running container through CRI Exec and the runtime's streaming server, relaying
 * stdin and resizes to it and stdout and stderr back, at the pace the stream's credit allows,
 * and ends the stream with the command's exit code.
 */
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { ExecRequest } from '../../../shared/protocol/index.js';
import type { CriClient } from '../cri/index.js';
import { findRunningContainer } from './running-container.js';
import { relayRuntimeStream, type ExecSink } from './runtime-stream-relay.js';

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
  relayRuntimeStream(url.value, { tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr }, sink, (err) =>
    options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}` }, 'exec output could not be relayed'),
  );
}
