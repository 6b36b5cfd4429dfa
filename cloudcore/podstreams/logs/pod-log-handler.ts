/**
 * GET /api/v1/namespaces/{ns}/pods/{name}/log: the pod's container log, read on its node through
 * a stream over the node's websocket (docs/protocol.md R26–R31) and written as a chunked
 * text/plain body while it arrives. Steps: options, pod, container, node, stream, first answer,
 * then the copy with backpressure.
 */
import type { ServerResponse } from 'node:http';
import type { Result } from '../../../shared/errors.js';
import type { LogsRequest } from '../../../shared/protocol/index.js';
import { ApiError, errors, type ResourceRequest } from '../../apiserver/index.js';
import type { HubStream, StreamRead } from '../../cloudhub/index.js';
import { resolveStreamTarget } from '../target/stream-target.js';
import { parsePodLogOptions, resolveLogContainer } from './log-options.js';

export interface PodLogHandlerOptions {
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: LogsRequest) => Result<HubStream>;
}

export type SubresourceHandler = (r: ResourceRequest) => Promise<void>;

export function createPodLogHandler(options: PodLogHandlerOptions): SubresourceHandler {
  return async (r) => {
    if (r.info.verb !== 'get') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const { nodeName, request } = await logsRequestStep(r);
    const stream = openStreamStep(options, nodeName, request);
    // The client may go before the node answers: the stream is cancelled either way.
    r.res.on('close', () => stream.cancel('the client went away'));
    const first = await stream.read();
    if (first.kind === 'error') throw streamError(first);
    r.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    // Headers go out at once, so a follow that waits for its first line is visibly open.
    r.res.flushHeaders();
    await copyStep(stream, first, r.res);
  };
}

async function logsRequestStep(r: ResourceRequest): Promise<{ nodeName: string; request: LogsRequest }> {
  const parsed = parsePodLogOptions(r.query);
  if (!parsed.ok) throw errors.badRequest(parsed.message);
  const o = parsed.value;
  const { nodeName, ...target } = await resolveStreamTarget(r, o.container, resolveLogContainer, (name) => `pod ${name} is not scheduled to a node yet: it has no logs`);
  const request: LogsRequest = {
    type: 'logs',
    ...target,
    follow: o.follow,
    previous: o.previous,
    timestamps: o.timestamps,
    ...(o.tailLines !== undefined ? { tailLines: o.tailLines } : {}),
    ...(o.sinceSeconds !== undefined ? { sinceSeconds: o.sinceSeconds } : {}),
    ...(o.sinceTime !== undefined ? { sinceTime: o.sinceTime } : {}),
    ...(o.limitBytes !== undefined ? { limitBytes: o.limitBytes } : {}),
  };
  return { nodeName, request };
}

function openStreamStep(options: PodLogHandlerOptions, nodeName: string, request: LogsRequest): HubStream {
  const opened = options.openStream(nodeName, request);
  if (opened.ok) return opened.value;
  // Never wait for an offline node: say which node, and why (docs/architecture.md § The flows, 4).
  throw errors.unavailable(`cannot read the logs of pod ${request.namespace}/${request.name}: ${opened.message}`);
}

/** Writes each chunk and reads the next only once the response has drained (R28). */
async function copyStep(stream: HubStream, first: StreamRead, res: ServerResponse): Promise<void> {
  let read = first;
  for (;;) {
    if (read.kind === 'end') {
      res.end();
      return;
    }
    if (read.kind === 'error') {
      // Headers are out: cutting the body short is the only way left to say it failed.
      res.destroy();
      return;
    }
    if (read.data.length > 0 && !res.write(read.data)) {
      const drained = await new Promise<boolean>((resolve) => {
        const done = (value: boolean) => () => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(value);
        };
        const onDrain = done(true);
        const onClose = done(false);
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
      if (!drained) return;
    }
    if (res.destroyed) return;
    read = await stream.read();
  }
}

/** What the node refused, as the Status kubelet's answer would have given (kubectl prints it). */
function streamError(read: Extract<StreamRead, { kind: 'error' }>): ApiError {
  switch (read.code) {
    case 'BadRequest':
      return errors.badRequest(read.message);
    case 'NotFound':
      return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: read.message, reason: 'NotFound', details: {}, code: 404 });
    case 'Unavailable':
      return errors.unavailable(read.message);
    case 'Timeout':
      return errors.timeout(read.message);
    default:
      return errors.internal(read.message);
  }
}
