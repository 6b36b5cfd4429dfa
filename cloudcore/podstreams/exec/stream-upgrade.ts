/**
 * The upgrade exec and attach share: a websocket (kubectl ≥ 1.30 speaks v5.channel.k8s.io; v4 is
 * accepted too) or SPDY/3.1 (kubectl 1.27–1.29, and newer ones falling back; v4.channel.k8s.io;
 * docs/kubectl.md § exec and cp over SPDY, § attach over SPDY): the request is resolved to a node and a stream request, the stream opened over
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
import { relayExecSpdy } from './spdy-relay.js';
import { offeredProtocols, offeredStreamVersions } from '../upgrade-headers.js';

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
const SPDY_UPGRADE = 'SPDY/3.1';

export function createStreamUpgradeHandler<R extends ExecRequest | AttachRequest>(options: StreamUpgradeOptions<R>): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: chooseProtocol });
  const verb = options.verb;
  return async (r) => {
    if (r.req.method !== 'GET' && r.req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const websocket = (r.req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (websocket && chooseProtocol(offeredProtocols(r)) === false) throw errors.badRequest(`the websocket must offer ${PROTOCOL_V5} or ${PROTOCOL_V4}`);
    const spdy = !websocket && (r.req.headers.upgrade ?? '').toLowerCase() === SPDY_UPGRADE.toLowerCase();
    // A request the server would not switch to never reaches the node: an exec's command would run there.
    if (!websocket && !spdy) throw errors.badRequest(`${verb} upgrades to websocket or ${SPDY_UPGRADE} only`);
    // httpstream.Handshake's refusal: 403 when no offered version is served.
    if (spdy && !offeredStreamVersions(r).includes(PROTOCOL_V4)) {
      return writeUpgradeRefusal(r.socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offeredStreamVersions(r).join(' ')}], server supports [${PROTOCOL_V4}]`, 'text/plain; charset=utf-8');
    }
    const { nodeName, request } = await options.resolve(r);
    const opened = options.openStream(nodeName, request);
    // Never wait for an offline node: say which node, and why (docs/architecture.md § The flows, 4).
    if (!opened.ok) throw errors.unavailable(`cannot ${verb} ${verb === 'exec' ? 'into' : 'to'} pod ${request.namespace}/${request.name}: ${opened.message}`);
    const stream = opened.value;
    r.socket.once('close', () => stream.cancel('the client went away'));
    const first = await stream.read();
    if (first.kind === 'error') return writeUpgradeRefusal(r.socket, REFUSAL_STATUS[first.code] ?? 500, first.message, 'text/plain; charset=utf-8');
    if (first.kind === 'end') return writeUpgradeRefusal(r.socket, 500, `the node ended the ${verb} before it started`, 'text/plain; charset=utf-8');
    if (spdy) {
      r.socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${SPDY_UPGRADE}\r\nX-Stream-Protocol-Version: ${PROTOCOL_V4}\r\n\r\n`);
      relayExecSpdy(r.socket, r.head, stream, request).catch((err: unknown) => {
        r.ctx.logger.warn({ err, pod: `${request.namespace}/${request.name}` }, `${verb} relay failed`);
        stream.cancel('the relay failed');
        r.socket.destroy();
      });
      return;
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

function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has(PROTOCOL_V5)) return PROTOCOL_V5;
  if (offered.has(PROTOCOL_V4)) return PROTOCOL_V4;
  return false;
}
