/**
 * The websocket upgrade exec and attach share (kubectl ≥ 1.30 speaks v5.channel.k8s.io; v4 is
 * accepted too): the request is resolved to a node and a stream request, the stream opened over
 * the node's websocket (docs/protocol.md R32, R43), and only once the node accepted are protocols
 * switched and the channels relayed. Until then every failure is an HTTP answer kubectl prints;
 * kubectl retries a refused websocket with SPDY and prints that second answer, which is why SPDY
 * requests are validated the same way.
 */
import { WebSocketServer } from 'ws';
import type { Result } from '../../../shared/errors.js';
import { PROTOCOL_V4, PROTOCOL_V5 } from '../../../shared/k8s/remote-command.js';
import type { AttachRequest, ExecRequest } from '../../../shared/protocol/index.js';
import { errors, writeUpgradeRefusal, type UpgradeHandler, type UpgradeRequest } from '../../apiserver/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { relayExec } from './channel-relay.js';

export interface StreamUpgradeOptions<R extends ExecRequest | AttachRequest> {
  /** `exec` or `attach`: the words of the messages. */
  verb: R['type'];
  /** The node and the stream request, or an API error thrown (400, 404) before any node is asked. */
  resolve: (r: UpgradeRequest) => Promise<{ nodeName: string; request: R }>;
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: R) => Result<HubStream>;
}

/** The node's refusals by code, as kubelet's streaming errors reach kubectl: plain text. */
const REFUSAL_STATUS: Record<string, number> = { BadRequest: 400, NotFound: 404, Unavailable: 503, Timeout: 504 };

export function createStreamUpgradeHandler<R extends ExecRequest | AttachRequest>(options: StreamUpgradeOptions<R>): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: chooseProtocol });
  const verb = options.verb;
  return async (r) => {
    if (r.req.method !== 'GET' && r.req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const websocket = (r.req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (websocket && chooseProtocol(offeredProtocols(r)) === false) throw errors.badRequest(`the websocket must offer ${PROTOCOL_V5} or ${PROTOCOL_V4}`);
    const { nodeName, request } = await options.resolve(r);
    const opened = options.openStream(nodeName, request);
    // Never wait for an offline node: say which node, and why (docs/architecture.md § The flows, 4).
    if (!opened.ok) throw errors.unavailable(`cannot ${verb} ${verb === 'exec' ? 'into' : 'to'} pod ${request.namespace}/${request.name}: ${opened.message}`);
    const stream = opened.value;
    r.socket.once('close', () => stream.cancel('the client went away'));
    const first = await stream.read();
    if (first.kind === 'error') return writeUpgradeRefusal(r.socket, REFUSAL_STATUS[first.code] ?? 500, first.message, 'text/plain; charset=utf-8');
    if (first.kind === 'end') return writeUpgradeRefusal(r.socket, 500, `the node ended the ${verb} before it started`, 'text/plain; charset=utf-8');
    if (!websocket) {
      stream.cancel('SPDY is not served');
      throw errors.badRequest(`this server serves ${verb} over websockets only (${PROTOCOL_V5} or ${PROTOCOL_V4}), as kubectl 1.30 and later speak it`);
    }
    wss.handleUpgrade(r.req, r.socket, r.head, (ws) => {
      relayExec(ws, stream, request.type === 'exec' ? request.command : []).catch((err: unknown) => {
        r.ctx.logger.warn({ err, pod: `${request.namespace}/${request.name}` }, `${verb} relay failed`);
        stream.cancel('the relay failed');
        ws.terminate();
      });
    });
  };
}

function offeredProtocols(r: UpgradeRequest): Set<string> {
  const header = r.req.headers['sec-websocket-protocol'] ?? '';
  return new Set(header.split(',').map((p) => p.trim()).filter((p) => p !== ''));
}

function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has(PROTOCOL_V5)) return PROTOCOL_V5;
  if (offered.has(PROTOCOL_V4)) return PROTOCOL_V4;
  return false;
}
