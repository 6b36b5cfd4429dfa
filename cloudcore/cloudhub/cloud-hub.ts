import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Registry } from 'prom-client';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorMessage, fail, type Result } from '../../shared/errors.js';
import { closeServer } from '../../shared/http-server.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import { ADMISSION_DEFERRED_STATUS, MAX_FRAME_BYTES, RETRY_AFTER_MS_HEADER, withFrameLimitReason, type StreamRequest } from '../../shared/protocol/index.js';
import type { HubStream } from './cloud-stream.js';
import type { EdgeController } from '../edgecontroller/index.js';
import { DEFAULT_ADMISSION, HandshakeAdmission, type AdmissionSettings } from './handshake-admission.js';
import { createHubMetrics, type HubMetrics } from './hub-metrics.js';
import { nodeIdentityOf, stillAccepted, type NodeIdentity } from './node-identity.js';
import { NodeSession } from './node-session.js';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from './session-limits.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './session-streams.js';

export interface CloudHubOptions {
  host: string;
  port: number;
  /**
   * `ticketKeys` (48 bytes) encrypt TLS session tickets; the same keys across restarts and across
   * cloudcores let an edge resume its session anywhere (docs/reconnect-storms.md § Resumption).
   * Without them each process makes its own and resumption works only until it restarts.
   */
  tls: { certPem: string; keyPem: string; caPem: string; ticketKeys?: Buffer };
  /** What each node needs and how its reports are written: the transport serves, it does not decide. */
  edges: Pick<EdgeController, 'index' | 'writeUpstream' | 'reportUndeliverable'>;
  metricsRegistry: Registry;
  logger: Logger;
  buildVersion: string;
  /** The node-certificate registry's check (issue 4 contract); absent means any CA-signed node certificate. */
  verifyNode?: (nodeName: string, serialHex: string) => boolean;
  maxInFlight?: number;
  resendAfterMs?: number;
  maxFrameBytes?: number;
  pingIntervalMs?: number;
  /** Stream windows, limits and the accept timeout (protocol.md R28–R30). */
  streams?: Partial<StreamSettings>;
  /** Per-session bounds (protocol.md R33–R36; defaults: docs/limits.md § Channel). */
  limits?: Partial<SessionLimits>;
  /** Handshake admission (protocol.md R46; defaults: docs/limits.md § Channel). */
  admission?: Partial<AdmissionSettings>;
  /** How long a TLS session ticket may be resumed (TLS 1.3 allows at most 7 days). */
  tlsSessionLifetimeSeconds?: number;
  /** The hub address list told to 1.6 edges (protocol.md R45); absent means none is told. */
  hubAddresses?: { list(): string[]; onChange(listener: (hubs: string[]) => void): () => void };
  /** Node certificate renewal (POST /v1/renew) on the hub port, so any cloudcore renews (docs/failover.md § Certificate renewal). */
  renewal?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export interface CloudHub extends Module {
  address(): { host: string; port: number };
  /** The bound port once started, else undefined. */
  boundPort(): number | undefined;
  closeSessions(nodeName: string, reason: string): void;
  connectedNodes(): string[];
  /**
   * Opens a stream to a node's edgecore over its session (protocol.md R26–R31), e.g. for
   * `kubectl logs`. Fails at once with code Unavailable when the node is not connected.
   */
  openStream(nodeName: string, request: StreamRequest): Result<HubStream>;
  /**
   * Whether openStream would accept a request of this type for the node now, without opening
   * anything: port-forward answers its upgrade before any connection is forwarded (R44).
   */
  checkStream(nodeName: string, type: StreamRequest['type']): Result<void>;
  /** The protocol version a connected node's edge named in its hello (R2); undefined when not connected. */
  nodeProtocol(nodeName: string): string | undefined;
  readonly metrics: HubMetrics;
}

const TICK_MS = 1000;
/** TLS 1.3's ceiling for a ticket's lifetime (RFC 8446 § 4.6.1). */
const DEFAULT_TLS_SESSION_LIFETIME_S = 7 * 24 * 3600;
/** Resumption needs one session id context for every process that serves the cluster. */
const SESSION_ID_CONTEXT = 'outpost-cloudhub';
/** An admitted handshake that has not finished by then gives its slot back anyway (a silent peer). */
const HANDSHAKE_SLOT_MS = 10_000;
const LISTEN_BACKLOG = 4096;

/** CloudHub: the WSS endpoint edges keep open (protocol.md R1, R19, R21). */
export function createCloudHub(options: CloudHubOptions): CloudHub {
  const logger = options.logger;
  const sessions = new Map<string, NodeSession>();
  const admission = new HandshakeAdmission({ ...DEFAULT_ADMISSION, ...options.admission });
  const metrics = createHubMetrics(options.metricsRegistry, () => {
    let depth = 0;
    let inFlight = 0;
    for (const s of sessions.values()) {
      depth += s.window.depth;
      inFlight += s.window.inFlightCount;
    }
    return { depth, inFlight };
  }, () => admission.inFlight);
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const sessionOptions = {
    maxInFlight: options.maxInFlight ?? 256,
    resendAfterMs: options.resendAfterMs ?? 10_000,
    buildVersion: options.buildVersion,
    streams: { ...DEFAULT_STREAM_SETTINGS, ...options.streams },
    limits: { ...DEFAULT_SESSION_LIMITS, ...options.limits },
    maxFrameBytes,
    hubs: () => options.hubAddresses?.list() ?? [],
  };
  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  let bound: { host: string; port: number } | undefined;
  let timers: NodeJS.Timeout[] = [];
  let unsubscribeHubs: (() => void) | undefined;
  const alive = new WeakSet<WebSocket>();
  // The certificate is read once per connection, in verifyClient: getPeerCertificate() is costly
  // and a resync storm of thousands of edges would pay it twice.
  const verified = new WeakMap<TLSSocket, NodeIdentity>();
  // The admission slot each admitted connection holds until its inventory is answered (R46).
  const slots = new WeakMap<TLSSocket, () => void>();

  /** R46: an upgrade from an accepted node takes a handshake slot, or is told when to come back. */
  function admit(socket: TLSSocket): { admitted: true } | { admitted: false; retryAfterMs: number } {
    const outcome = admission.tryAdmit();
    if (!outcome.admitted) {
      metrics.handshakes.inc({ outcome: 'deferred' });
      return outcome;
    }
    metrics.handshakes.inc({ outcome: 'admitted' });
    const timer = setTimeout(() => outcome.release(false), HANDSHAKE_SLOT_MS);
    timer.unref();
    const release = (): void => {
      clearTimeout(timer);
      outcome.release();
    };
    slots.set(socket, release);
    socket.once('close', release);
    return outcome;
  }

  function identityAtAccept(socket: TLSSocket): Result<NodeIdentity> {
    const known = verified.get(socket);
    if (known === undefined) return nodeIdentityOf(socket, options.verifyNode);
    // A revocation may have landed between the upgrade check and now.
    return stillAccepted(known, options.verifyNode);
  }

  function accept(ws: WebSocket, socket: TLSSocket): void {
    const identity = identityAtAccept(socket);
    // verifyClient already refused these; this is the belt to its braces.
    if (!identity.ok) return ws.close(4003, identity.message.slice(0, 120));
    const nodeName = identity.value.nodeName;
    const sessionLogger = logger.child({ node: nodeName });
    withFrameLimitReason(ws, maxFrameBytes);
    sessions.get(nodeName)?.close(4000, 'replaced by a newer session');
    const { serialHex } = identity.value;
    const stillValid = (): boolean => options.verifyNode?.(nodeName, serialHex) ?? true;
    const onHandshakeDone = slots.get(socket);
    const session = new NodeSession({ ws, nodeName, logger: sessionLogger, edges: options.edges, metrics, options: sessionOptions, stillValid, ...(onHandshakeDone ? { onHandshakeDone } : {}) });
    sessions.set(nodeName, session);
    metrics.connectedNodes.set(sessions.size);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data, isBinary) => session.onMessage(data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        metrics.invalidFrames.inc({ reason: 'too-large' });
        metrics.sessionsClosed.inc({ reason: 'frame-too-large' });
        sessionLogger.warn({ limitBytes: maxFrameBytes }, 'frame larger than the limit: closing the session (protocol.md R6)');
      } else {
        sessionLogger.warn({ err: err.message, code: err.code }, 'websocket error: closing the session');
      }
    });
    ws.on('close', (code, reason) => {
      session.closed();
      if (sessions.get(nodeName) === session) sessions.delete(nodeName);
      metrics.connectedNodes.set(sessions.size);
      sessionLogger.info({ code, reason: reason.toString() }, 'node session closed');
    });
  }

  /** Plain HTTPS on the hub port: certificate renewal only; everything else is a websocket upgrade. */
  function serveRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v1/renew' && req.method === 'POST' && options.renewal !== undefined) {
      options.renewal(req, res).catch((err: unknown) => {
        logger.error({ err: errorMessage(err) }, 'renewal on the hub port failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 'Internal', message: 'internal error; see the cloudcore log' }));
        else res.destroy();
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 'NotFound', message: 'CloudHub serves websocket upgrades and POST /v1/renew' }));
  }

  /** R19: a session that did not answer the previous ping is gone. */
  function pingAll(): void {
    for (const ws of wss?.clients ?? []) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }

  return {
    name: 'cloudhub',
    metrics,
    address() {
      if (bound === undefined) throw new Error('cloudhub is not started');
      return bound;
    },
    boundPort: () => bound?.port,
    connectedNodes: () => [...sessions.keys()],
    openStream(nodeName, request) {
      const session = sessions.get(nodeName);
      if (session === undefined) return fail('Unavailable', `node "${nodeName}" is not connected`);
      return session.openStream(request);
    },
    checkStream(nodeName, type) {
      const session = sessions.get(nodeName);
      if (session === undefined) return fail('Unavailable', `node "${nodeName}" is not connected`);
      return session.checkStream(type);
    },
    nodeProtocol(nodeName) {
      return sessions.get(nodeName)?.protocolVersion;
    },
    closeSessions(nodeName, reason) {
      const session = sessions.get(nodeName);
      if (session === undefined) return;
      logger.info({ node: nodeName, reason }, 'closing node sessions');
      session.close(4003, reason);
    },
    async start() {
      await options.edges.index.synced; // protocol.md R9: never answer an inventory from an empty cache
      server = createServer({
        cert: options.tls.certPem,
        key: options.tls.keyPem,
        ca: options.tls.caPem,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        // Resumption (docs/reconnect-storms.md § Resumption): stateless TLS 1.3 tickets under keys
        // that outlive the process; a resumed session still carries, and is checked against, the
        // node's certificate (nodeIdentityOf).
        ...(options.tls.ticketKeys ? { ticketKeys: options.tls.ticketKeys } : {}),
        sessionIdContext: SESSION_ID_CONTEXT,
        sessionTimeout: options.tlsSessionLifetimeSeconds ?? DEFAULT_TLS_SESSION_LIFETIME_S,
      });
      server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake refused'));
      server.on('request', (req, res) => serveRequest(req, res));
      wss = new WebSocketServer({
        server,
        maxPayload: maxFrameBytes,
        perMessageDeflate: false,
        verifyClient: (info, done) => {
          const socket = info.req.socket as TLSSocket;
          metrics.tlsSessions.inc({ resumed: String(socket.isSessionReused()) });
          // R46 before the certificate is read: a deferral costs no certificate parsing, and only
          // holders of a cluster-CA certificate get this far (rejectUnauthorized).
          const admitted = admit(socket);
          if (!admitted.admitted) {
            const headers = { 'Retry-After': String(Math.ceil(admitted.retryAfterMs / 1000)), [RETRY_AFTER_MS_HEADER]: String(admitted.retryAfterMs) };
            return done(false, ADMISSION_DEFERRED_STATUS, 'handshakes in flight at their bound: come back later (protocol.md R46)', headers);
          }
          // A resumed session is checked like a new one: its certificate is the one it began with.
          const identity = nodeIdentityOf(socket, options.verifyNode);
          if (identity.ok) {
            verified.set(socket, identity.value);
            return done(true);
          }
          slots.get(socket)?.();
          metrics.refusals.inc({ reason: identity.code });
          logger.warn({ reason: identity.message }, 'connection refused');
          done(false, identity.code === 'Unauthorized' ? 401 : 403, identity.message);
        },
      });
      wss.on('connection', (ws, req) => accept(ws, req.socket as TLSSocket));
      wss.on('error', (err) => logger.error({ err: err.message }, 'websocket server error'));
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        // A storm of dials overflows Node's default backlog (511), and a dropped SYN costs its edge a
        // retransmit of a second or more; the kernel caps this at net.core.somaxconn.
        server?.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
          server?.off('error', reject);
          resolve();
        });
      });
      bound = { host: options.host, port: (server.address() as AddressInfo).port };
      timers = [
        setInterval(() => {
          for (const s of sessions.values()) s.tick();
        }, TICK_MS),
        setInterval(pingAll, options.pingIntervalMs ?? 30_000),
      ];
      for (const t of timers) t.unref();
      // R45: every 1.6 session hears of a change in the hub list.
      unsubscribeHubs = options.hubAddresses?.onChange((hubs) => {
        for (const s of sessions.values()) s.sendHubs(hubs);
      });
    },
    async stop() {
      unsubscribeHubs?.();
      unsubscribeHubs = undefined;
      for (const t of timers) clearInterval(t);
      timers = [];
      for (const s of sessions.values()) s.close(1001, 'cloudcore is stopping');
      const s = server;
      server = undefined;
      for (const ws of wss?.clients ?? []) ws.terminate();
      wss?.close();
      wss = undefined;
      if (s === undefined) return;
      await closeServer(s);
    },
  };
}
