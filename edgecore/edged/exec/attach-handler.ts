/**
 * Serves `kubectl attach` on the edge: an attach stream request (protocol.md R43) connects to the
 * stdio of the pod's running container through CRI Attach and the runtime's streaming server,
 * with the same relay as exec. The attach ends when the container's output ends (it exited) or
 * when the client's stdin ends (containerd closes the attach then, unless the container is
 * `stdinOnce`, whose stdin it closes instead); it ends with exit code 0, as kubelet's streaming
 * server writes Success for an attach that ran.
 */
import { errorMessage } from '../../../shared/errors.js';
import type { AttachRequest } from '../../../shared/protocol/index.js';
import { findRunningContainer } from './running-container.js';
import { relayRuntimeStream, type ExecSink } from './runtime-stream-relay.js';
import type { ExecHandlerOptions } from './exec-handler.js';

export type AttachHandler = (request: AttachRequest, sink: ExecSink) => void;

export function createAttachHandler(options: ExecHandlerOptions): AttachHandler {
  return (request, sink) => {
    serve(options, request, sink).catch((err: unknown) => {
      options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}`, container: request.container }, 'attach failed');
      sink.end({ code: 'Internal', message: `attach to container "${request.container}" of pod "${request.name}": ${errorMessage(err)}` });
    });
  };
}

async function serve(options: ExecHandlerOptions, request: AttachRequest, sink: ExecSink): Promise<void> {
  const found = await findRunningContainer(options.cri, request);
  if (!found.ok) return sink.end({ code: found.code, message: found.message });
  const io = { tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr };
  const url = await options.cri.attach(found.value, io);
  if (!url.ok) return sink.end({ code: url.code === 'NotFound' ? 'NotFound' : 'Internal', message: `error attaching to container: ${url.message}` });
  relayRuntimeStream(url.value, io, sink, (err) =>
    options.logger.warn({ err: errorMessage(err), pod: `${request.namespace}/${request.name}` }, 'attach output could not be relayed'),
  );
}
