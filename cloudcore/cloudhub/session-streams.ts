import { randomBytes } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/errors.js';
import { decodeStreamBytes, type Content, type StreamRequest } from '../../shared/protocol/index.js';
import { CloudStream, type HubStream } from './cloud-stream.js';

export interface StreamSettings {
  /** The initial window each stream offers the edge (R28). */
  windowBytes: number;
  /** Streams one session may carry at once (R30). */
  maxStreams: number;
  acceptTimeoutMs: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = { windowBytes: 256 * 1024, maxStreams: 64, acceptTimeoutMs: 30_000 };

/** The streams multiplexed over one node session (protocol.md R26–R31). */
export class SessionStreams {
  private readonly streams = new Map<string, CloudStream>();

  constructor(
    private readonly settings: StreamSettings,
    private readonly send: (content: Content) => boolean,
  ) {}

  get openCount(): number {
    return this.streams.size;
  }

  open(request: StreamRequest): Result<HubStream> {
    if (this.streams.size >= this.settings.maxStreams) return fail('Unavailable', `the node already carries ${this.settings.maxStreams} streams; try again later`);
    const id = randomBytes(12).toString('base64url');
    const stream = new CloudStream({
      id,
      window: this.settings.windowBytes,
      acceptTimeoutMs: this.settings.acceptTimeoutMs,
      send: this.send,
      onDone: () => this.streams.delete(id),
    });
    this.streams.set(id, stream);
    if (!this.send({ kind: 'streamOpen', streamId: id, request, window: this.settings.windowBytes })) {
      stream.onSessionLost('the connection to the node closed');
      return fail('Unavailable', 'the connection to the node closed');
    }
    return ok(stream);
  }

  /** streamData, streamWindow (exec input, R32) and streamClose from the edge; a frame for a stream already over is dropped (R29). */
  onFrame(content: Extract<Content, { kind: 'streamData' | 'streamWindow' | 'streamClose' }>): void {
    const stream = this.streams.get(content.streamId);
    if (stream === undefined) return;
    if (content.kind === 'streamClose') return stream.onClose(content.error, content.exitCode);
    if (content.kind === 'streamWindow') return stream.onWindow(content.bytes);
    stream.onData(decodeStreamBytes(content.encoding, content.data), content.channel);
  }

  /** The session ended: every stream fails at once (R31). */
  closeAll(message: string): void {
    for (const stream of [...this.streams.values()]) stream.onSessionLost(message);
    this.streams.clear();
  }
}
