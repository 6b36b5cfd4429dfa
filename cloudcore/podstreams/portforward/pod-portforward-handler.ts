/**
 * GET|POST /api/v1/namespaces/{ns}/pods/{name}/portforward as a protocol upgrade (`kubectl
 * port-forward`; docs/kubectl.md § port-forward). Steps: the pod (404), its node (400 when not
 * bound), the node's session and protocol (503 when offline, 400 for an edge older than 1.6:
 * docs/protocol.md R44), then the switch to one of the three transports kubelet serves:
 * - a websocket tunnelling SPDY (`SPDY/3.1+portforward.k8s.io`, kubectl ≥ 1.30);
 * - plain SPDY/3.1 (`X-Stream-Protocol-Version: portforward.k8s.io`, kubectl 1.27–1.29 and
 *   newer ones falling back);
 * - a websocket with channels (`v4.channel.k8s.io`, or no subprotocol) for the ports of the query.
 * Each forwarded connection is then its own node stream, opened when the client opens it.
 */
import { createWebSocketStream, WebSocketServer } from 'ws';
import { ok, type Result } from '../../../shared/errors.js';
import type { PortForwardRequest, StreamRequest } from '../../../shared/protocol/index.js';
import { errors, writeUpgradeRefusal, type UpgradeHandler } from '../../apiserver/index.js';
import type { HubStream } from '../../cloudhub/index.js';
import { resolveStreamTarget } from '../target/stream-target.js';
import { parsePortForwardPorts } from './portforward-options.js';
import { servePortForwardSpdy, type PortForwardPod } from './spdy-portforward.js';
import { servePortForwardWebsocket } from './websocket-portforward.js';
import { offeredProtocols, offeredStreamVersions } from '../upgrade-headers.js';

export interface PodPortForwardHandlerOptions {
  /** CloudHub's openStream; it fails at once when the node is not connected. */
  openStream: (nodeName: string, request: PortForwardRequest) => Result<HubStream>;
  /** CloudHub's checkStream: whether the node could take a port-forward stream now. */
  checkStream: (nodeName: string, type: StreamRequest['type']) => Result<void>;
}

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
const SPDY_UPGRADE = 'SPDY/3.1';

export function createPodPortForwardHandler(options: PodPortForwardHandlerOptions): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: chooseProtocol });
  // `SPDY/3.1+portforward.k8s.io` is no RFC 7230 token (the "/"), so `ws` would refuse the
  // handshake over it: the tunnel's server takes the request without the header and names the
  // protocol in its answer itself, which is all kubectl's websocket client checks.
  const tunnelWss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  tunnelWss.on('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${SPDY_TUNNEL_PROTOCOL}`));
  return async (r) => {
    if (r.req.method !== 'GET' && r.req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const upgrade = (r.req.headers.upgrade ?? '').toLowerCase();
    const websocket = upgrade === 'websocket';
    const offered = offeredProtocols(r);
    const chosen = websocket ? chooseProtocol(offered) : false;
    if (websocket && chosen === false) throw errors.badRequest(`the websocket must offer ${SPDY_TUNNEL_PROTOCOL} or ${CHANNEL_PROTOCOL}`);
    if (!websocket && upgrade !== SPDY_UPGRADE.toLowerCase()) throw errors.badRequest(`port-forward upgrades to websocket or ${SPDY_UPGRADE} only`);
    const ports = parsePortForwardPorts(r.query);
    if (!ports.ok) throw errors.badRequest(ports.message);
    const channels = websocket && chosen !== SPDY_TUNNEL_PROTOCOL;
    if (channels && ports.value.length === 0) throw errors.badRequest('query parameter "ports" is required for a websocket port-forward');
    // httpstream.Handshake's refusal: 403 when no offered version is served.
    if (!websocket && !offeredStreamVersions(r).includes(PORT_FORWARD_PROTOCOL)) {
      return writeUpgradeRefusal(r.socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offeredStreamVersions(r).join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`, 'text/plain; charset=utf-8');
    }
    const { nodeName, ...target } = await resolveStreamTarget(r, undefined, () => ok(''), (name) => `pod ${name} does not have a host assigned`);
    const pod: PortForwardPod = { namespace: target.namespace, name: target.name, uid: target.uid };
    // Never wait for an offline node, and never ask an edge that has no port-forward (R44).
    const usable = options.checkStream(nodeName, 'portforward');
    if (!usable.ok) {
      const message = `cannot port-forward to pod ${pod.namespace}/${pod.name}: ${usable.message}`;
      throw usable.code === 'BadRequest' ? errors.badRequest(message) : errors.unavailable(message);
    }
    const open = (request: PortForwardRequest): Result<HubStream> => options.openStream(nodeName, request);
    const logFailure = (err: unknown): void => r.ctx.logger.warn({ err, pod: `${pod.namespace}/${pod.name}` }, 'port-forward relay failed');
    if (!websocket) {
      r.socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${SPDY_UPGRADE}\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
      servePortForwardSpdy(r.socket, r.head, pod, open).catch((err: unknown) => {
        logFailure(err);
        r.socket.destroy();
      });
      return;
    }
    if (channels) return wss.handleUpgrade(r.req, r.socket, r.head, (ws) => servePortForwardWebsocket(ws, ports.value, pod, open));
    delete r.req.headers['sec-websocket-protocol'];
    tunnelWss.handleUpgrade(r.req, r.socket, r.head, (ws) => {
      // The tunnel: the websocket's binary messages carry SPDY's bytes both ways.
      const tunnel = createWebSocketStream(ws);
      tunnel.on('error', (err) => r.ctx.logger.debug({ err: err.message }, 'port-forward tunnel closed'));
      servePortForwardSpdy(tunnel, Buffer.alloc(0), pod, open).catch((err: unknown) => {
        logFailure(err);
        ws.terminate();
      });
    });
  };
}

/** The tunnel first; channels under v4 or portforward.k8s.io; a client that offers none gets channels too, as from kubelet. */
function chooseProtocol(offered: Set<string>): string | false {
  if (offered.has(SPDY_TUNNEL_PROTOCOL)) return SPDY_TUNNEL_PROTOCOL;
  if (offered.has(CHANNEL_PROTOCOL)) return CHANNEL_PROTOCOL;
  if (offered.has(PORT_FORWARD_PROTOCOL)) return PORT_FORWARD_PROTOCOL;
  return offered.size === 0 ? '' : false;
}
