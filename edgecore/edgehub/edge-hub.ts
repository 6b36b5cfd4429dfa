import { WebSocket, type RawData } from 'ws';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import { ADMISSION_DEFERRED_STATUS, decodeFrame, encodeFrame, frameLimitReason, MAX_FRAME_BYTES, PROTOCOL_VERSION, retryAfterMsOf, withFrameLimitReason, type Content, type Envelope, type Route } from '../../shared/protocol/index.js';
import type { EdgeStore, OutboxRow } from '../metamanager/index.js';
import type { BackoffPolicy, ConnectionState } from './connection-state.js';
import { INITIAL_RETRY_STATE, nextRetry, type ConnectOutcome, type QuickRetryPolicy } from './retry-timing.js';
import { resumingDial, TlsSessionCache } from './tls-resumption.js';
import { DownstreamApplier } from './downstream-applier.js';
import { HubAddressBook } from './hub-address-book.js';
import { EdgeStreams, type StreamHandler } from './edge-streams.js';
import { UpstreamSender, type UpstreamCounters } from './upstream-sender.js';
import { cloudTakes, UPSTREAM_RESOURCE } from './upstream-kinds.js';
import { abortableSleep } from '../../shared/abortable-sleep.js';

export interface EdgeCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface EdgeHubOptions {
  /** The configured hub: the fallback once every hub of the cloud's list failed (protocol.md R45). */
  hubUrl: string;
  /** Read again before every connection attempt, so a renewed certificate is used at once. */
  credentials: () => Promise<EdgeCredentials>;
  store: EdgeStore;
  logger: Logger;
  buildVersion: string;
  /** A first state listener, as if passed to onStateChange() before start. */
  onStateChange?: (state: ConnectionState) => void;
  pingIntervalMs?: number;
  resultTimeoutMs?: number;
  maxUpstreamInFlight?: number;
  backoff?: BackoffPolicy;
  /** The short retries after a healthy link dropped (edgecore/edgehub/retry-timing.ts). */
  quickRetry?: QuickRetryPolicy;
  random?: () => number;
  /** Serves the streams the cloud opens (protocol.md R26–R31); without it each is refused. */
  onStreamOpen?: StreamHandler;
}

export interface EdgeHub extends Module {
  state(): ConnectionState;
  /**
   * Calls the listener synchronously on every state change; returns the unsubscribe function.
   * On 'connected', a listener runs before the inventory goes out, so what it queues in the
   * outbox leaves right after the inventory (edgecore/nodestatus relies on this: R17, R23).
   */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  counters(): UpstreamCounters & { invalidFrames: number };
  /** Drops the current connection so the next one uses fresh credentials (after a renewal). */
  reconnect(reason: string): void;
  /** The hub dialled now or next, and the cloud's hub list as last received (protocol.md R45). */
  hubs(): { current: string; list: readonly string[] };
}

/** The hub's connection as its followers (node status, endpoints.json) see it. */
export type ConnectionSource = Pick<EdgeHub, 'state' | 'onStateChange'>;

const UP_ROUTE: Route = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' };
const STREAM_ROUTE: Route = { source: 'edgehub', target: 'cloudhub', resource: 'streams', operation: 'stream' };
const TICK_MS = 500;

/**
 * EdgeHub: the edge's one websocket to CloudHub. It dials with the node certificate, says hello
 * (protocol.md R2), sends its inventory (R8), commits and acks what comes down (R11), drains the
 * outbox (R14–R15), pings (R19) and reconnects with full-jitter backoff (R20).
 */
export function createEdgeHub(options: EdgeHubOptions): EdgeHub {
  const logger = options.logger;
  let state: ConnectionState = { phase: 'idle' };
  // The connected cloud's protocol version: a 1.1 cloud gets no events (R25), a 1.3 one no deviceStatus (R39).
  let cloudVersion = '';
  let socket: WebSocket | undefined;
  let invalidFrames = 0;
  let loop: Promise<void> | undefined;
  const abort = new AbortController();
  const tlsSessions = new TlsSessionCache();
  // Which cloudcore to dial (R45): the list from edge.db, the configured hub as fallback.
  const addresses = new HubAddressBook(options.hubUrl, options.store.hubs, options.random);
  let reconnectAsked = false;
  const sender = new UpstreamSender(options.store, {
    maxInFlight: options.maxUpstreamInFlight ?? 128,
    resultTimeoutMs: options.resultTimeoutMs ?? 10_000,
    now: () => Date.now(),
    send: sendOutboxRow,
    // Judged only once connected: before the welcome, the cloud's version is not known yet.
    accepts: (row) => state.phase !== 'connected' || cloudTakes(row.kind, cloudVersion),
    ...(options.random ? { random: options.random } : {}),
  });
  const applier = new DownstreamApplier(options.store, logger, (items) => send({ ...UP_ROUTE, resource: 'pods', operation: 'ack' }, { kind: 'ack', items }), () => sender.pump());

  // A report queued anywhere on the edge (edged's pod status, events) goes out in the same turn of
  // the event loop, not on the next tick; setImmediate lets a surrounding transaction commit first.
  let pumpScheduled = false;
  const unsubscribeOutbox = options.store.outbox.onWrite(() => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      sender.pump();
    });
  });
  // Streams are never queued: a frame that cannot be sent now ends its stream (R26).
  const streams = new EdgeStreams((content) => send(STREAM_ROUTE, content), options.onStreamOpen, logger);

  const stateListeners = new Set<(state: ConnectionState) => void>();
  if (options.onStateChange !== undefined) stateListeners.add(options.onStateChange);

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function send(route: Route, content: Content, parentId?: string): boolean {
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(encodeFrame(route, content, parentId !== undefined ? { parentId } : {}));
    return true;
  }

  function sendOutboxRow(row: OutboxRow): boolean {
    if (state.phase !== 'connected') return false;
    const content = { ...row.payload, kind: row.kind, seq: row.seq } as Content;
    const resource = UPSTREAM_RESOURCE[row.kind];
    return send({ source: 'edgehub', target: 'cloudhub', resource, operation: row.kind === 'podDelete' ? 'delete' : 'update' }, content);
  }

  function onFrame(frame: Envelope): void {
    const content = frame.content;
    switch (content.kind) {
      case 'welcome':
        cloudVersion = content.protocolVersion;
        addresses.connected(content.hubs);
        setState({ phase: 'connected', since: Date.now() });
        logger.info({ cloudBuild: content.buildVersion, cloudProtocol: content.protocolVersion, hub: addresses.url() }, 'connected to CloudHub');
        send({ ...UP_ROUTE, resource: 'pods', operation: 'inventory' }, { kind: 'inventory', objects: options.store.objects.inventory() });
        // What waited offline, and what state listeners queued on 'connected', follows the inventory.
        sender.pump();
        return;
      case 'upsert':
        return applier.add({ kind: 'upsert', object: content.object });
      case 'delete':
        return applier.add({ kind: 'delete', uid: content.uid, resourceVersion: frame.resourceVersion ?? '0' });
      case 'result':
        return sender.onResult(content.seq, content.outcome);
      case 'streamOpen':
      case 'streamData':
      case 'streamWindow':
      case 'streamClose':
        return streams.onFrame(content);
      case 'hubs':
        addresses.update(content.hubs);
        logger.info({ hubs: content.hubs }, 'hub address list updated');
        return;
      case 'error':
        logger.error({ code: content.code, reason: content.message }, 'CloudHub reported an error');
        return;
      default:
        send({ ...UP_ROUTE, operation: 'error' }, { kind: 'error', code: 'UnexpectedKind', message: `the cloud may not send ${content.kind}` }, frame.id);
    }
  }

  function onMessage(data: RawData, isBinary: boolean): void {
    const decoded = isBinary ? ({ ok: false, message: 'binary frames are not part of the protocol (R3)' } as const) : decodeFrame(rawText(data));
    if (decoded.ok) return onFrame(decoded.value);
    invalidFrames++;
    if (invalidFrames <= 5 || invalidFrames % 1000 === 0) logger.warn({ reason: decoded.message, invalidFrames }, 'invalid frame from CloudHub');
    send({ ...UP_ROUTE, operation: 'error' }, { kind: 'error', code: 'InvalidFrame', message: decoded.message.slice(0, 4096) });
  }

  /** One connection, from dial to close; resolves with whether it reached welcome, and for how long. */
  async function connectOnce(attempt: number): Promise<ConnectOutcome & { reason: string }> {
    setState({ phase: 'connecting', attempt });
    const creds = await options.credentials();
    return new Promise((resolve) => {
      const hubUrl = addresses.url();
      const offered = tlsSessions.sessionFor(creds.certPem);
      const ws = new WebSocket(hubUrl, {
        // Offers the last session ticket and keeps each new one (docs/reconnect-storms.md § Resumption).
        ...(hubUrl.startsWith('wss:') ? { createConnection: resumingDial(offered, (session) => tlsSessions.keep(session, creds.certPem)) as unknown as WebSocket.ClientOptions['createConnection'] } : {}),
        ca: creds.caPem,
        cert: creds.certPem,
        key: creds.keyPem,
        maxPayload: MAX_FRAME_BYTES,
        perMessageDeflate: false,
        handshakeTimeout: 10_000,
      });
      // A frame over the limit closes with 1009 and a reason naming it, as the cloud's does (R6).
      withFrameLimitReason(ws, MAX_FRAME_BYTES);
      socket = ws;
      let welcomed = false;
      let welcomedAt = 0;
      let retryAfterMs: number | undefined;
      let reason = 'closed';
      let frameTooLarge = false;
      let pongSeen = true;
      const timers: NodeJS.Timeout[] = [];
      ws.on('open', () => {
        setState({ phase: 'handshaking' });
        send({ ...UP_ROUTE }, { kind: 'hello', protocolVersion: PROTOCOL_VERSION, buildVersion: options.buildVersion });
        timers.push(
          setInterval(() => {
            if (!pongSeen) {
              reason = 'no pong within two ping intervals';
              ws.terminate();
              return;
            }
            pongSeen = false;
            ws.ping();
          }, options.pingIntervalMs ?? 15_000),
          setInterval(() => sender.tick(), TICK_MS),
        );
      });
      ws.on('pong', () => (pongSeen = true));
      ws.on('message', (data, isBinary) => {
        onMessage(data, isBinary);
        if (state.phase === 'connected' && !welcomed) {
          welcomed = true;
          welcomedAt = Date.now();
        }
      });
      ws.on('unexpected-response', (_req, res) => {
        if (res.statusCode === ADMISSION_DEFERRED_STATUS) {
          // R46: the cloud is busy with other handshakes and said when to come back.
          retryAfterMs = retryAfterMsOf(res.headers);
          reason = `CloudHub deferred the connection (HTTP ${ADMISSION_DEFERRED_STATUS}, retry after ${retryAfterMs ?? '?'} ms)`;
          logger.info({ status: res.statusCode, retryAfterMs }, reason);
        } else {
          reason = `CloudHub refused the connection: HTTP ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`;
          logger.error({ status: res.statusCode }, reason);
          // A refused identity is not resumed again: the next handshake shows a fresh certificate.
          tlsSessions.forget();
        }
        ws.terminate();
      });
      ws.on('error', (err: Error & { code?: string }) => {
        if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          frameTooLarge = true;
          reason = `CloudHub sent a ${frameLimitReason(MAX_FRAME_BYTES)}`;
          logger.warn({ limitBytes: MAX_FRAME_BYTES, code: err.code }, 'frame from CloudHub larger than the limit: closing the connection (protocol.md R6)');
          return;
        }
        reason = err.message;
        logger.warn({ reason, code: err.code }, 'connection error');
      });
      ws.on('close', (code, why) => {
        for (const t of timers) clearInterval(t);
        if (socket === ws) socket = undefined;
        sender.reset();
        applier.reset();
        streams.reset();
        const text = why.toString();
        // A 1009 this side started comes back echoed; the reason set on error says who broke the limit.
        if (text !== '' && !frameTooLarge) reason = `closed by CloudHub (${code}): ${text}`;
        resolve({ welcomed, connectedMs: welcomed ? Date.now() - welcomedAt : 0, retryAfterMs, reason });
      });
    });
  }

  async function run(): Promise<void> {
    let retry = INITIAL_RETRY_STATE;
    while (!abort.signal.aborted) {
      const outcome: ConnectOutcome & { reason: string } = await connectOnce(retry.attempt).catch((err: unknown) => ({ welcomed: false, connectedMs: 0, reason: err instanceof Error ? err.message : String(err) }));
      if (abort.signal.aborted) break;
      // R20 and R46: when to dial again (edgecore/edgehub/retry-timing.ts).
      const timing = nextRetry(retry, outcome, Date.now(), { ...(options.backoff ? { backoff: options.backoff } : {}), ...(options.quickRetry ? { quick: options.quickRetry } : {}) }, options.random);
      retry = timing.state;
      const { delayMs } = timing;
      const attempt = retry.attempt;
      // R45: a dial that failed or a link that dropped moves the edge to another cloudcore.
      // A reconnect asked for (a renewed certificate) stays on the same hub, and so does a
      // deferral: that cloudcore is up and said when to come back (R46).
      const lost = addresses.url();
      const next = reconnectAsked || outcome.retryAfterMs !== undefined ? lost : addresses.failed();
      reconnectAsked = false;
      if (next !== lost) logger.info({ from: lost, to: next }, 'moving to another cloudcore');
      setState({ phase: 'backoff', attempt, delayMs, reason: outcome.reason });
      logger.info({ reason: outcome.reason, retryInMs: delayMs }, 'disconnected from CloudHub');
      await abortableSleep(delayMs, abort.signal);
    }
    setState({ phase: 'stopped' });
  }

  return {
    name: 'edgehub',
    state: () => state,
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    counters: () => ({ ...sender.counters, invalidFrames }),
    hubs: () => ({ current: addresses.url(), list: addresses.list() }),
    reconnect(reason) {
      logger.info({ reason }, 'reconnecting to CloudHub');
      reconnectAsked = socket !== undefined;
      socket?.close(1000, reason.slice(0, 120));
    },
    async start() {
      // Ready means "working": the edge keeps running offline, so this does not wait for the cloud.
      loop = run();
    },
    async stop() {
      abort.abort();
      unsubscribeOutbox();
      socket?.close(1000, 'edgecore is stopping');
      const ws = socket;
      if (ws !== undefined) setTimeout(() => ws.terminate(), 2000).unref();
      await loop;
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
