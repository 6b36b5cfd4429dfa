import type { SecureContext } from 'node:tls';
import WebSocket, { type RawData } from 'ws';
import { HubAddressBook } from '../../edgecore/edgehub/hub-address-book.js';
import { INITIAL_RETRY_STATE, nextRetry, type ConnectOutcome } from '../../edgecore/edgehub/retry-timing.js';
import { resumingDial } from '../../edgecore/edgehub/tls-resumption.js';
import { ADMISSION_DEFERRED_STATUS, decodeFrame, encodeFrame, MAX_FRAME_BYTES, PROTOCOL_VERSION, retryAfterMsOf, type Route } from '../../shared/protocol/index.js';
import type { EdgeEvent } from './fleet-messages.js';

const UP_ROUTE: Route = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' };
const BUILD_VERSION = 'bench-hollow-edge';

export interface HollowEdgeDeps {
  nodeName: string;
  /** This node's certificate and the shared key, prepared once so a dial does not re-parse PEM. */
  secureContext: SecureContext;
  report: (event: EdgeEvent) => void;
  /** Runs a dial when the worker's dial limiter allows; resolves when the dial settled. */
  schedule: (dial: () => Promise<void>) => void;
  /** What to do after a drop: the edge's real backoff (protocol.md R20), or wait to be released. */
  reconnectMode: () => 'backoff' | 'hold';
  onHeld: (edge: HollowEdge) => void;
}

/**
 * One hollow edge: a real mTLS websocket with its own node certificate, speaking the real
 * protocol (hello, inventory, acks of every upsert and delete) with no runtime and no SQLite.
 * Its "store" is the uid → resourceVersion map that it reports as its inventory on every connect,
 * so a resync after a cloud restart is the same inventory exchange a real edge does.
 */
export class HollowEdge {
  private readonly held = new Map<string, string>();
  private socket: WebSocket | undefined;
  private retry = INITIAL_RETRY_STATE;
  /** The last TLS session ticket, offered on the next dial as edgecore does. */
  private session: Buffer | undefined;
  private welcomedAt = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Which hub to dial: the edge's own address book (R45), without edge.db (a hollow edge keeps nothing). */
  private addresses = new HubAddressBook('', undefined);

  constructor(private readonly deps: HollowEdgeDeps) {}

  get nodeName(): string {
    return this.deps.nodeName;
  }

  /** Dials `hubUrl` first; the hub list of its welcome then says where to go when that hub is lost. */
  start(hubUrl: string): void {
    this.addresses = new HubAddressBook(hubUrl, undefined);
    this.deps.schedule(() => this.dial());
  }

  /** A held edge dials now (through the limiter). */
  release(): void {
    if (!this.stopped) this.deps.schedule(() => this.dial());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.terminate();
  }

  private dial(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.deps.report({ e: 'dial', node: this.nodeName, at: Date.now() });
    return new Promise((settled) => {
      const options: WebSocket.ClientOptions & { secureContext: SecureContext } = {
        secureContext: this.deps.secureContext,
        perMessageDeflate: false,
        maxPayload: MAX_FRAME_BYTES,
        handshakeTimeout: 20_000,
        createConnection: resumingDial(this.session, (session) => (this.session = session)) as unknown as WebSocket.ClientOptions['createConnection'],
      };
      // ws hands every option to tls.connect, secureContext included (its types do not list it).
      const hub = this.addresses.url();
      const ws = new WebSocket(hub, options);
      this.socket = ws;
      let welcomed = false;
      let retryAfterMs: number | undefined;
      let reason = 'closed';
      ws.on('open', () => {
        settled();
        ws.send(encodeFrame(UP_ROUTE, { kind: 'hello', protocolVersion: PROTOCOL_VERSION, buildVersion: BUILD_VERSION }));
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary && this.onFrame(ws, data, hub)) welcomed = true;
      });
      ws.on('unexpected-response', (_req, res) => {
        reason = `HTTP ${res.statusCode ?? 0}`;
        if (res.statusCode === ADMISSION_DEFERRED_STATUS) retryAfterMs = retryAfterMsOf(res.headers);
        ws.terminate();
      });
      ws.on('error', (err) => {
        reason = err.message;
      });
      ws.on('close', (code, why) => {
        settled();
        if (this.socket === ws) this.socket = undefined;
        this.deps.report({ e: 'closed', node: this.nodeName, at: Date.now(), reason: why.length > 0 ? `${code} ${why.toString()}` : `${code} ${reason}` });
        this.afterClose({ welcomed, connectedMs: welcomed ? Date.now() - this.welcomedAt : 0, retryAfterMs });
      });
    });
  }

  /** Handles one frame; returns true when it was the `welcome`. */
  private onFrame(ws: WebSocket, data: RawData, hub: string): boolean {
    const decoded = decodeFrame(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
    if (!decoded.ok) return false;
    const { content, resourceVersion } = decoded.value;
    switch (content.kind) {
      case 'welcome':
        this.welcomedAt = Date.now();
        this.addresses.connected(content.hubs);
        ws.send(encodeFrame({ ...UP_ROUTE, resource: 'pods', operation: 'inventory' }, { kind: 'inventory', objects: Object.fromEntries(this.held) }));
        this.deps.report({ e: 'synced', node: this.nodeName, at: Date.now(), hub });
        return true;
      case 'hubs':
        this.addresses.update(content.hubs);
        return false;
      case 'upsert': {
        const { uid, resourceVersion: rv, name } = content.object.metadata;
        this.held.set(uid, rv);
        this.ack(ws, uid, rv);
        this.deps.report({ e: 'acked', node: this.nodeName, pod: name, at: Date.now() });
        return false;
      }
      case 'delete':
        this.held.delete(content.uid);
        this.ack(ws, content.uid, resourceVersion ?? '0');
        return false;
      default:
        return false;
    }
  }

  /** The real edge acks after its SQLite commit (R11); a hollow edge has nothing to commit. */
  private ack(ws: WebSocket, uid: string, resourceVersion: string): void {
    ws.send(encodeFrame({ ...UP_ROUTE, resource: 'pods', operation: 'ack' }, { kind: 'ack', items: [{ uid, resourceVersion }] }));
  }

  private afterClose(outcome: ConnectOutcome): void {
    if (this.stopped) return;
    if (this.deps.reconnectMode() === 'hold') return this.deps.onHeld(this);
    // Exactly the edge's timing (edgecore/edgehub/retry-timing.ts): quick retries after a healthy
    // link dropped, deferrals honoured (R46), else full jitter from 1 s doubling to 30 s. Real
    // edges redial on their own timers, so these dials skip the worker's dial limiter.
    const next = nextRetry(this.retry, outcome, Date.now());
    this.retry = next.state;
    // R45, as edgehub does: a failed dial or a dropped link moves the edge to another listed hub;
    // a deferral (R46) keeps it where it is, since that cloudcore is up.
    if (outcome.retryAfterMs === undefined) this.addresses.failed();
    this.timer = setTimeout(() => void this.dial(), next.delayMs);
  }
}
