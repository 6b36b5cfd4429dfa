import type { RawData, WebSocket } from 'ws';
import { fail, type Result } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import { checkPeerVersion, decodeFrame, encodeFrame, PROTOCOL_VERSION, supportsStreams, type Content, type Envelope, type Route, type StreamRequest } from '../../shared/protocol/index.js';
import type { HubStream } from './cloud-stream.js';
import { DeliveryWindow } from './delivery-window.js';
import type { HubMetrics } from './hub-metrics.js';
import { SessionStreams, type StreamSettings } from './session-streams.js';
import { deletionOf, type EdgeController } from '../edgecontroller/index.js';

export interface SessionOptions {
  maxInFlight: number;
  resendAfterMs: number;
  buildVersion: string;
  streams: StreamSettings;
}

export interface SessionDeps {
  ws: WebSocket;
  nodeName: string;
  logger: Logger;
  edges: Pick<EdgeController, 'index' | 'writeUpstream'>;
  metrics: HubMetrics;
  options: SessionOptions;
  /** Whether the session's certificate is still accepted (not revoked since the handshake). */
  stillValid: () => boolean;
}

type SessionState = 'awaiting-hello' | 'awaiting-inventory' | 'streaming' | 'closed';

/** Frames above this much unsent data wait for the next pump, so a slow link is not flooded. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Upstream writes one session may have running at once; beyond that a node is told to retry. */
const MAX_UPSTREAM_WRITES = 256;
const REPLY_ROUTE: Route = { source: 'cloudhub', target: 'edgehub', resource: 'session', operation: 'result' };

/**
 * One node's websocket session: the handshake (protocol.md R2), the inventory answer (R8–R9), the
 * downstream window (R10–R12) and the upstream results (R15). Steps are named methods, one per
 * content kind.
 */
export class NodeSession {
  private state: SessionState = 'awaiting-hello';
  private unsubscribe: (() => void) | undefined;
  private invalidFrames = 0;
  private upstreamWrites = 0;
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
    });
    this.streams = new SessionStreams(deps.options.streams, (content) => this.sendStreamFrame(content));
  }

  get nodeName(): string {
    return this.deps.nodeName;
  }

  onMessage(data: RawData, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (isBinary) return this.invalid('binary frames are not part of the protocol (R3)', undefined);
    const decoded = decodeFrame(rawText(data));
    if (!decoded.ok) return this.invalid(decoded.message, undefined);
    const frame = decoded.value;
    this.deps.metrics.messages.inc({ direction: 'in', kind: frame.content.kind });
    this.dispatch(frame);
  }

  /** Periodic work from the hub's timer: resends due (R12) and a pump after backpressure. */
  tick(): void {
    if (this.state === 'streaming') this.window.resendDue();
  }

  /**
   * Opens a stream to the edge (R26–R27). It fails at once, never waits, when the session is not
   * established or the edge speaks 1.2, which knows no streams.
   */
  openStream(request: StreamRequest): Result<HubStream> {
    const node = this.deps.nodeName;
    if (this.state === 'closed' || this.state === 'awaiting-hello') return fail('Unavailable', `node "${node}" is not connected`);
    if (!supportsStreams(this.peerProtocol)) {
      return fail('Unavailable', `node "${node}" runs edgecore with channel protocol ${this.peerProtocol}, which has no streams (protocol 1.3 or later is needed): upgrade its edgecore`);
    }
    return this.streams.open(request);
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.streams.closeAll(`the connection to node "${this.deps.nodeName}" closed: ${reason}`);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.deps.ws.readyState === this.deps.ws.OPEN || this.deps.ws.readyState === this.deps.ws.CONNECTING) this.deps.ws.close(code, reason.slice(0, 120));
  }

  /** The socket closed from either side. */
  closed(): void {
    this.state = 'closed';
    this.streams.closeAll(`the connection to node "${this.deps.nodeName}" was lost`);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private dispatch(frame: Envelope): void {
    const content = frame.content;
    if (this.state === 'awaiting-hello') {
      if (content.kind !== 'hello') return this.refuseHandshake(frame, 'HandshakeRequired', `the first frame must be hello, not ${content.kind} (protocol.md R2)`);
      return this.onHello(frame, content);
    }
    switch (content.kind) {
      case 'inventory':
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
        void this.onUpstream(frame, content);
        return;
      case 'streamData':
      case 'streamWindow':
      case 'streamClose':
        return this.streams.onFrame(content);
      case 'error':
        this.deps.logger.warn({ code: content.code, reason: content.message }, 'edge reported an error');
        return;
      default:
        this.reply(frame, { kind: 'error', code: 'UnexpectedKind', message: `a node may not send ${content.kind} here` });
    }
  }

  private onHello(frame: Envelope, hello: Extract<Content, { kind: 'hello' }>): void {
    const version = checkPeerVersion(hello.protocolVersion);
    if (!version.ok) return this.refuseHandshake(frame, 'UnsupportedVersion', version.message);
    this.state = 'awaiting-inventory';
    this.peerProtocol = hello.protocolVersion;
    this.reply(frame, { kind: 'welcome', protocolVersion: PROTOCOL_VERSION, buildVersion: this.deps.options.buildVersion, nodeName: this.deps.nodeName });
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
    const index = this.deps.edges.index;
    const needed = new Set<string>();
    for (const change of index.desiredOf(nodeName)) {
      needed.add(change.uid);
      if (held[change.uid] !== change.resourceVersion) this.window.offer(change);
    }
    // The edge deletes by uid; the name in the frame is informational, and the edge's version is
    // the one its ack must name.
    for (const [uid, rv] of Object.entries(held)) if (!needed.has(uid)) this.window.offer(deletionOf('objects', uid, undefined, uid, rv));
    this.unsubscribe ??= index.subscribe(nodeName, (change) => this.window.offer(change));
    this.state = 'streaming';
  }

  private async onUpstream(frame: Envelope, content: Extract<Content, { kind: 'podStatus' | 'podDelete' | 'nodeStatus' | 'lease' | 'event' }>): Promise<void> {
    // A revocation may race with frames already received: nothing more is written for this node.
    if (!this.deps.stillValid()) return this.close(4003, 'certificate revoked');
    if (this.upstreamWrites >= MAX_UPSTREAM_WRITES) {
      // A flooding node cannot pile up writes: it hears "retry" and backs off (protocol.md R15).
      this.deps.metrics.upstreamResults.inc({ outcome: 'retry' });
      return this.reply(frame, { kind: 'result', seq: content.seq, outcome: 'retry', message: 'too many writes in progress for this node' });
    }
    this.upstreamWrites++;
    const result = await this.deps.edges.writeUpstream(this.deps.nodeName, content).finally(() => this.upstreamWrites--);
    this.deps.metrics.upstreamResults.inc({ outcome: result.outcome });
    if (result.outcome !== 'ack') {
      if (result.outcome === 'reject' && result.refused === true) this.deps.metrics.refusals.inc({ reason: 'NotAuthorized' });
      this.deps.logger.info({ kind: content.kind, seq: content.seq, outcome: result.outcome, reason: result.message }, 'upstream message not written');
    }
    this.reply(frame, { kind: 'result', seq: content.seq, outcome: result.outcome, ...(result.outcome === 'ack' ? {} : { message: result.message.slice(0, 4096) }) });
  }

  /** R6: an error reply and a log line, rate-limited so a flood cannot flood the log too. */
  private invalid(reason: string, frame: Envelope | undefined): void {
    this.invalidFrames++;
    this.deps.metrics.invalidFrames.inc({ reason: 'invalid' });
    if (this.invalidFrames <= 5 || this.invalidFrames % 1000 === 0) {
      this.deps.logger.warn({ reason, invalidFrames: this.invalidFrames }, 'invalid frame from node');
    }
    this.reply(frame, { kind: 'error', code: 'InvalidFrame', message: reason.slice(0, 4096) });
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

  private sendRaw(frame: string, kind: string): boolean {
    const ws = this.deps.ws;
    if (ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES && kind === 'object') return false;
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
