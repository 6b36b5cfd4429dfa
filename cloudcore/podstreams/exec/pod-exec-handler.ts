/**
 * GET|POST /api/v1/namespaces/{ns}/pods/{name}/exec as a websocket upgrade (kubectl ≥ 1.30 speaks
 * v5.channel.k8s.io; v4 is accepted too) or a SPDY/3.1 upgrade (kubectl 1.27–1.29, and newer ones
 * falling back; v4.channel.k8s.io): the command runs on the pod's node through a stream over its
 * websocket (docs/protocol.md R32). Steps: options, pod, container, node, stream, the node's
 * answer, then the switch of protocols and the relay. Until the node accepted, every failure is
 * an HTTP answer kubectl prints.
 */
import { WebSocketServer } from 'ws';
import type { Result } from '../../../shared/errors.js';
import { PROTOCOL_V4, PROTOCOL_V5 } from '../../../shared/k8s/remote-command.js';
import type { ExecRequest } from '../../../shared/protocol/index.js';
import { errors, writeUpgradeRefusal, type UpgradeHandler, type UpgradeRequest } from '../../apiserver/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { resolveStreamTarget } from '../target/stream-target.js';
import { relayExec } from './channel-relay.js';
import { relayExecSpdy } from './spdy-relay.js';
import { parseExecOptions, resolveExecContainer } from './exec-options.js';

export interface PodExecHandlerOptions {
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: ExecRequest) => Result<HubStream>;
}

/** The node's refusals by code, as kubelet's streaming errors reach kubectl: plain text. */
const SPDY_UPGRADE = 'SPDY/3.1';
const REFUSAL_STATUS: Record<string, number> = { BadRequest: 400, NotFound: 404, Unavailable: 503, Timeout: 504 };

export function createPodExecHandler(options: PodExecHandlerOptions): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: chooseProtocol });
  return async (r) => {
    if (r.req.method !== 'GET' && r.req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const websocket = (r.req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (websocket && chooseProtocol(offeredProtocols(r)) === false) throw errors.badRequest(`the websocket must offer ${PROTOCOL_V5} or ${PROTOCOL_V4}`);
    const spdy = !websocket && (r.req.headers.upgrade ?? '').toLowerCase() === SPDY_UPGRADE.toLowerCase();
    if (!websocket && !spdy) throw errors.badRequest(`exec upgrades to websocket or ${SPDY_UPGRADE} only`);
    // httpstream.Handshake's refusal: 403 when no offered version is served.
    if (spdy && !offeredStreamVersions(r).includes(PROTOCOL_V4)) {
      return writeUpgradeRefusal(r.socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offeredStreamVersions(r).join(' ')}], server supports [${PROTOCOL_V4}]`, 'text/plain; charset=utf-8');
    }
    const { nodeName, request } = await execRequestStep(r);
    const opened = options.openStream(nodeName, request);
    // Never wait for an offline node: say which node, and why (docs/architecture.md § The flows, 4).
    if (!opened.ok) throw errors.unavailable(`cannot exec into pod ${request.namespace}/${request.name}: ${opened.message}`);
    const stream = opened.value;
    r.socket.once('close', () => stream.cancel('the client went away'));
    const first = await stream.read();
    if (first.kind === 'error') return writeUpgradeRefusal(r.socket, REFUSAL_STATUS[first.code] ?? 500, first.message, 'text/plain; charset=utf-8');
    if (first.kind === 'end') return writeUpgradeRefusal(r.socket, 500, 'the node ended the exec before it started', 'text/plain; charset=utf-8');
    if (spdy) {
      r.socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${SPDY_UPGRADE}\r\nX-Stream-Protocol-Version: ${PROTOCOL_V4}\r\n\r\n`);
      relayExecSpdy(r.socket, r.head, stream, request).catch((err: unknown) => {
        r.ctx.logger.warn({ err, pod: `${request.namespace}/${request.name}` }, 'exec relay failed');
        stream.cancel('the relay failed');
        r.socket.destroy();
      });
      return;
    }
    wss.handleUpgrade(r.req, r.socket, r.head, (ws) => {
      relayExec(ws, stream, request.command).catch((err: unknown) => {
        r.ctx.logger.warn({ err, pod: `${request.namespace}/${request.name}` }, 'exec relay failed');
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

/** X-Stream-Protocol-Version, repeated or comma-joined (Node joins repeated headers with ", "). */
function offeredStreamVersions(r: UpgradeRequest): string[] {
  const header = [r.req.headers['x-stream-protocol-version'] ?? ''].flat().join(',');
  return header.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has(PROTOCOL_V5)) return PROTOCOL_V5;
  if (offered.has(PROTOCOL_V4)) return PROTOCOL_V4;
  return false;
}

async function execRequestStep(r: UpgradeRequest): Promise<{ nodeName: string; request: ExecRequest }> {
  const parsed = parseExecOptions(r.query);
  if (!parsed.ok) throw errors.badRequest(parsed.message);
  const o = parsed.value;
  const { nodeName, ...target } = await resolveStreamTarget(r, o.container, resolveExecContainer, (name) => `pod ${name} does not have a host assigned`);
  const request: ExecRequest = { type: 'exec', ...target, command: o.command, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, tty: o.tty };
  return { nodeName, request };
}
