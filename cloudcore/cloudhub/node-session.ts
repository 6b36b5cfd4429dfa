import type { RawData, WebSocket } from 'ws';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import { checkPeerVersion, CLOSE_OVER_LIMIT, CLOSE_PROTOCOL_VIOLATION, decodeFrame, encodeFrame, PROTOCOL_VERSION, supportsDevices, supportsProtocol16, supportsServiceAccounts, type Content, type Envelope, type Route, type StreamRequest } from '../../shared/protocol/index.js';
import type { HubStream } from './cloud-stream.js';
import { DeliveryWindow } from './delivery-window.js';
import type { HubMetrics } from './hub-metrics.js';
import { ProtocolErrorBudget, type SessionLimits } from './session-limits.js';
import { SessionStreams, type StreamSettings } from './session-streams.js';
import { deletionOf, type EdgeController, type NodeChange } from '../edgecontroller/index.js';

export interface SessionOptions {
  maxInFlight: number;
  resendAfterMs: number;
  buildVersion: string;
  streams: StreamSettings;
  limits: SessionLimits;
  /** The largest frame the edge accepts (R6): bigger objects are skipped (R37). */
  maxFrameBytes: number;
  /** The hub address list for the welcome (R45), this cloudcore first. */
  hubs: () => string[];
}

export interface SessionDeps {
  ws: WebSocket;
  nodeName: string;
  logger: Logger;
  edges: Pick<EdgeController, 'index' | 'writeUpstream' | 'reportUndeliverable'>;
  metrics: HubMetrics;
  options: SessionOptions;
  /** Whether the session's certificate is still accepted (not revoked since the handshake). */
  stillValid: () => boolean;
  /** Called once the inventory is answered: the end of the channel handshake (admission, R46). */
  onHandshakeDone?: () => void;
}

type SessionState = 'awaiting-hello' | 'awaiting-inventory' | 'streaming' | 'closed';

/** After a close for not reading, how long the close frame may wait in the buffer before the socket goes (R36). */
const NOT_READING_GRACE_MS = 5000;
const REPLY_ROUTE: Route = { source: 'cloudhub', target: 'edgehub', resource: 'session', operation: 'result' };

/**
 * One node's websocket session: the handshake (protocol.md R2), the inventory answer (R8–R9), the
 * downstream window (R10–R12) and the upstream results (R15). Steps are named methods, one per
 * content kind.
 */
export class NodeSession {
  private state: SessionState = 'awaiting-hello';
  private unsubscribe: (() => void) | undefined;
  private readonly protocolErrors: ProtocolErrorBudget;
  private upstreamWrites = 0;
  private upstreamBytes = 0;
  /** The edge's protocol version, from its hello (R2); streams need 1.3 (R26). */
  private peerProtocol = '';
  readonly window: DeliveryWindow;
  readonly streams: SessionStreams;

  constructor(private readonly deps: SessionDeps) {
    this.window = new DeliveryWindow({
      maxInFlight: deps.options.maxInFlight,
      resendAfterMs: deps.options.resendAfterMs,
      now: () => Date.now(),
      send: (frame) => this.sendRaw(frame, 'object'),
      onResend: () => deps.metrics.resends.inc(),
      maxFrameBytes: deps.options.maxFrameBytes,
      onUndeliverable: (change, bytes) => this.onUndeliverable(change, bytes),
    });
    this.protocolErrors = new ProtocolErrorBudget(deps.options.limits.maxProtocolErrors, deps.options.limits.protocolErrorWindowMs);
    this.streams = new SessionStreams(deps.options.streams, (content) => this.sendStreamFrame(content));
  }

  get nodeName(): string {
    return this.deps.nodeName;
  }

  onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (isBinary) return this.invalid('binary frames are not part of the protocol (R3)', undefined);
    const text = rawText(data);
    const decoded = decodeFrame(text);
    if (!decoded.ok) return this.invalid(decoded.message, undefined);
    const frame = decoded.value;
    this.deps.metrics.messages.inc({ direction: 'in', kind: frame.content.kind });
    this.dispatch(frame, text.length);
  }

  /** Periodic work from the hub's timer: resends due (R12) and a pump after backpressure. */
  tick(): void {
    if (this.state === 'streaming') this.window.resendDue();
  }

  /** The protocol version the edge's hello named ('' before it): what it understands (R2). */
  get protocolVersion(): string {
    return this.peerProtocol;
  }

  /**
   * Opens a stream to the edge (R26–R27). It fails at once, never waits, when the session is not
   * established. (Every edge the cloud accepts, 1.3 and later, knows streams: R2, R26.)
   */
  openStream(request: StreamRequest): Result<HubStream> {
    const usable = this.checkStream(request.type);
    if (!usable.ok) return usable;
    return this.streams.open(request);
  }

  /**
   * Whether a stream of this type could be opened now: the session is established and the edge
   * speaks a protocol that has it (port-forward is 1.6, R44; a 1.5 edge is never asked).
   */
  checkStream(type: StreamRequest['type']): Result<void> {
    const node = this.deps.nodeName;
    if (this.state === 'closed' || this.state === 'awaiting-hello') return fail('Unavailable', `node "${node}" is not connected`);
    if (type === 'portforward' && !supportsProtocol16(this.peerProtocol)) {
      return fail('BadRequest', `node "${node}" runs edgecore with protocol ${this.peerProtocol}, which has no port-forward (protocol 1.6 and later, docs/protocol.md R44): upgrade its edgecore`);
    }
    return ok(undefined);
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.streams.closeAll(`the connection to node "${this.deps.nodeName}" closed: ${reason}`);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.deps.ws.readyState === this.deps.ws.OPEN || this.deps.ws.readyState === this.deps.ws.CONNECTING) this.deps.ws.close(code, reason.slice(0, 120));
  }

  /** R45: the hub list changed; only a 1.6 edge past its welcome is told. */
  sendHubs(hubs: string[]): void {
    if (this.state === 'closed' || this.state === 'awaiting-hello' || !supportsProtocol16(this.peerProtocol)) return;
    this.sendRaw(encodeFrame({ source: 'cloudhub', target: 'edgehub', resource: 'hubs', operation: 'update' }, { kind: 'hubs', hubs }), 'hubs');
  }

  /** The socket closed from either side. */
  closed(): void {
    this.state = 'closed';
    this.streams.closeAll(`the connection to node "${this.deps.nodeName}" was lost`);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private dispatch(frame: Envelope, frameBytes: number): void {
    const content = frame.content;
    if (this.state === 'awaiting-hello') {
      if (content.kind !== 'hello') return this.refuseHandshake(frame, 'HandshakeRequired', `the first frame must be hello, not ${content.kind} (protocol.md R2)`);
      return this.onHello(frame, content);
    }
    switch (content.kind) {
      case 'inventory':
        // R33: the inventory belongs to the handshake; a later one would queue work without end.
        if (this.state !== 'awaiting-inventory') return this.closeFor(CLOSE_PROTOCOL_VIOLATION, 'late-inventory', 'an inventory after the handshake is a protocol error (protocol.md R33)');
        return this.onInventory(content.objects);
      case 'ack':
        for (const item of content.items) this.window.ack(item.uid, item.resourceVersion);
        this.window.pump();
        return;
      case 'podStatus':
      case 'podDelete':
      case 'nodeStatus':
      case 'lease':
      case 'event':
        void this.onUpstream(frame, content, frameBytes);
        return;
      case 'deviceStatus':
        // R39: only an edge that said 1.4 or later reports devices; it was sent none otherwise.
        if (!supportsDevices(this.peerProtocol)) return this.protocolError(`a node that said ${this.peerProtocol} may not send deviceStatus (protocol.md R39)`, frame, 'UnexpectedKind');
        void this.onUpstream(frame, content, frameBytes);
        return;
      case 'streamData':
      case 'streamWindow':
      case 'streamClose':
        return this.streams.onFrame(content);
      case 'error':
        // The edge answers only broken cloud frames with errors: a stream of them is spent from the same budget, unanswered (R34).
        return this.protocolError(`edge reported ${content.code}: ${content.message.slice(0, 256)}`, frame, undefined);
      default:
        this.protocolError(`a node may not send ${content.kind} here`, frame, 'UnexpectedKind');
    }
  }

  private onHello(frame: Envelope, hello: Extract<Content, { kind: 'hello' }>): void {
    const version = checkPeerVersion(hello.protocolVersion);
    if (!version.ok) return this.refuseHandshake(frame, 'UnsupportedVersion', version.message);
    this.state = 'awaiting-inventory';
    this.peerProtocol = hello.protocolVersion;
    // R45: a 1.6 edge learns where else it may dial; a 1.5 edge's schema has no room for it.
    const hubs = supportsProtocol16(hello.protocolVersion) ? { hubs: this.deps.options.hubs() } : {};
    this.reply(frame, { kind: 'welcome', protocolVersion: PROTOCOL_VERSION, buildVersion: this.deps.options.buildVersion, nodeName: this.deps.nodeName, ...hubs });
    this.deps.logger.info({ protocolVersion: hello.protocolVersion, buildVersion: hello.buildVersion }, 'node session established');
  }

  private refuseHandshake(frame: Envelope, code: string, message: string): void {
    this.deps.logger.warn({ code, reason: message }, 'handshake refused');
    this.deps.metrics.refusals.inc({ reason: code });
    this.reply(frame, { kind: 'error', code, message });
    this.close(4002, message);
  }

  /**
   * R9: upserts for every object the node needs whose version differs, deletes for what the edge
   * holds that it no longer needs. Subscribing in the same tick as the diff means no change is missed.
   */
  private onInventory(held: Record<string, string>): void {
    const { nodeName } = this.deps;
    const { maxInventoryEntries } = this.deps.options.limits;
    const entries = Object.entries(held);
    if (entries.length > maxInventoryEntries) {
      return this.closeFor(CLOSE_OVER_LIMIT, 'inventory-too-large', `an inventory of ${entries.length} entries is over the limit of ${maxInventoryEntries} (protocol.md R33)`);
    }
    const index = this.deps.edges.index;
    // R39: device kinds (and what only Devices reference) go only to an edge that said ≥ 1.4.
    // R40: tokens, the issuer and RBAC objects only to an edge that said ≥ 1.5.
    const audience = { devices: supportsDevices(this.peerProtocol), serviceAccounts: supportsServiceAccounts(this.peerProtocol) };
    const needed = new Set<string>();
    this.state = 'streaming';
    for (const change of index.desiredOf(nodeName, audience)) {
      needed.add(change.uid);
      if (held[change.uid] !== change.resourceVersion) this.offer(change);
    }
    // The edge deletes by uid; the name in the frame is informational, and the edge's version is
    // the one its ack must name.
    for (const [uid, rv] of entries) if (!needed.has(uid)) this.offer(deletionOf('objects', uid, undefined, uid, rv));
    if (this.state !== 'streaming') return; // closed over a bound while answering
    this.unsubscribe ??= index.subscribe(nodeName, (change) => this.offer(change), audience);
    this.deps.onHandshakeDone?.();
  }

  /** R35: the versions waiting for a node are bounded; past the bound the session closes and the next inventory rebuilds the difference (R13). */
  private offer(change: NodeChange): void {
    if (this.state !== 'streaming') return;
    this.window.offer(change);
    const { maxPendingVersions } = this.deps.options.limits;
    if (this.window.depth > maxPendingVersions) this.closeFor(CLOSE_OVER_LIMIT, 'pending-over-limit', `more than ${maxPendingVersions} versions wait for this node (protocol.md R35)`);
  }

  /** R37: an object too large for the edge is skipped, counted, logged, and reported on the object. */
  private onUndeliverable(change: NodeChange, frameBytes: number): void {
    const kind = change.about?.kind ?? 'unknown';
    const limitBytes = this.deps.options.maxFrameBytes;
    this.deps.metrics.undeliverable.inc({ kind });
    this.deps.logger.warn({ uid: change.uid, kind, name: change.about?.name, frameBytes, limitBytes }, 'object too large for the edge: skipped (protocol.md R37)');
    if (change.about !== undefined) void this.deps.edges.reportUndeliverable({ nodeName: this.deps.nodeName, about: change.about, frameBytes, limitBytes });
  }

  private async onUpstream(frame: Envelope, content: Extract<Content, { kind: 'podStatus' | 'podDelete' | 'nodeStatus' | 'lease' | 'event' | 'deviceStatus' }>, frameBytes: number): Promise<void> {
    // A revocation may race with frames already received: nothing more is written for this node.
    if (!this.deps.stillValid()) return this.close(4003, 'certificate revoked');
    const { maxUpstreamWrites, maxUpstreamBytes } = this.deps.options.limits;
    if (this.upstreamWrites >= maxUpstreamWrites || this.upstreamBytes + frameBytes > maxUpstreamBytes) {
      // A flooding node cannot pile up writes, or their bytes: it hears "retry" and backs off (protocol.md R15, R35).
      this.deps.metrics.upstreamResults.inc({ outcome: 'retry' });
      return this.reply(frame, { kind: 'result', seq: content.seq, outcome: 'retry', message: 'too many writes in progress for this node' });
    }
    this.upstreamWrites++;
    this.upstreamBytes += frameBytes;
    const result = await this.deps.edges.writeUpstream(this.deps.nodeName, content).finally(() => {
      this.upstreamWrites--;
      this.upstreamBytes -= frameBytes;
    });
    this.deps.metrics.upstreamResults.inc({ outcome: result.outcome });
    if (result.outcome !== 'ack') {
      if (result.outcome === 'reject' && result.refused === true) this.deps.metrics.refusals.inc({ reason: 'NotAuthorized' });
      this.deps.logger.info({ kind: content.kind, seq: content.seq, outcome: result.outcome, reason: result.message }, 'upstream message not written');
    }
    this.reply(frame, { kind: 'result', seq: content.seq, outcome: result.outcome, ...(result.outcome === 'ack' ? {} : { message: result.message.slice(0, 4096) }) });
  }

  /** R6: an error reply and a log line, rate-limited so a flood cannot flood the log too. */
  private invalid(reason: string, frame: Envelope | undefined): void {
    this.deps.metrics.invalidFrames.inc({ reason: 'invalid' });
    this.protocolError(reason, frame, 'InvalidFrame');
  }

  /** R34: each protocol error is answered (unless `code` is undefined), until a node spends its budget: then the session closes. */
  private protocolError(reason: string, frame: Envelope | undefined, code: 'InvalidFrame' | 'UnexpectedKind' | undefined): void {
    const withinBudget = this.protocolErrors.spend();
    const count = this.protocolErrors.total;
    if (count <= 5 || count % 1000 === 0) this.deps.logger.warn({ reason, code, protocolErrors: count }, 'protocol error from node');
    if (!withinBudget) {
      const { maxProtocolErrors, protocolErrorWindowMs } = this.deps.options.limits;
      return this.closeFor(CLOSE_PROTOCOL_VIOLATION, 'protocol-errors', `more than ${maxProtocolErrors} invalid frames within ${protocolErrorWindowMs / 1000} s (protocol.md R34)`);
    }
    // An error reply is short whatever the frame was: a flood of tiny frames must not turn into a flood of long replies.
    if (code !== undefined) this.reply(frame, { kind: 'error', code, message: reason.slice(0, 256) });
  }

  /** Closes the session for a broken rule or bound (R33–R36): logged, counted, and the reason in the close frame. */
  private closeFor(code: number, reason: string, message: string): void {
    if (this.state === 'closed') return;
    this.deps.metrics.sessionsClosed.inc({ reason });
    this.deps.logger.warn({ code, reason: message }, 'closing the node session');
    this.close(code, message);
    if (reason === 'not-reading') {
      // A peer that does not read will not read the close frame either: the socket goes after a grace.
      setTimeout(() => this.deps.ws.terminate(), NOT_READING_GRACE_MS).unref();
    }
  }

  private reply(to: Envelope | undefined, content: Content): void {
    const frame = encodeFrame({ ...REPLY_ROUTE, operation: content.kind === 'welcome' ? 'handshake' : content.kind === 'error' ? 'error' : 'result' }, content, to ? { parentId: to.id } : {});
    this.sendRaw(frame, content.kind);
  }

  /** Stream frames are never queued or resent (R26): a closed socket ends the stream instead. */
  private sendStreamFrame(content: Content): boolean {
    const frame = encodeFrame({ source: 'cloudhub', target: 'edgehub', resource: 'streams', operation: 'stream' }, content);
    return this.sendRaw(frame, content.kind);
  }

  /**
   * Every frame the cloud sends counts against the send buffer (R36): objects wait for the next
   * pump above the soft bound; past the hard bound the peer is not reading and the session closes.
   */
  private sendRaw(frame: string, kind: string): boolean {
    const ws = this.deps.ws;
    if (ws.readyState !== ws.OPEN || this.state === 'closed') return false;
    const { objectBufferBytes, maxBufferedBytes } = this.deps.options.limits;
    if (ws.bufferedAmount > objectBufferBytes && kind === 'object') return false;
    if (ws.bufferedAmount + frame.length > maxBufferedBytes) {
      this.closeFor(CLOSE_OVER_LIMIT, 'not-reading', `the node does not read: more than ${maxBufferedBytes} bytes wait to be sent (protocol.md R36)`);
      return false;
    }
    ws.send(frame);
    this.deps.metrics.messages.inc({ direction: 'out', kind });
    return true;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
