import type { Logger } from '../../shared/logging.js';
import { encodeStreamBytes, MAX_STREAM_CHUNK_BYTES, type Content, type StreamError, type StreamRequest } from '../../shared/protocol/index.js';

/** The edge's end of one stream, as the module serving it (edged's logs) sees it (protocol.md R26–R31). */
export interface StreamSink {
  /** Aborted when the cloud closes the stream or the connection drops: stop producing then. */
  readonly signal: AbortSignal;
  /** Says the request is valid, so the cloud can answer its client before the first byte (R27). */
  accept(): void;
  /**
   * Sends bytes in chunks of at most 32 KiB, each only once the cloud has granted credit for it
   * (R28). Resolves false when the stream is over. Calls must not overlap: await each one.
   */
  write(bytes: Buffer): Promise<boolean>;
  /** Ends the stream; with an error, the request was refused or failed (R29). Idempotent. */
  end(error?: StreamError): void;
}

/** Serves one stream request; it owns the sink until it calls end(). */
export type StreamHandler = (request: StreamRequest, sink: StreamSink) => void;

/** Streams one edge serves at once; the cloud holds the same cap per session (R30). */
const MAX_STREAMS = 64;

class EdgeStream implements StreamSink {
  private readonly abort = new AbortController();
  private credit: number;
  private accepted = false;
  private ended = false;
  private creditWaiter: (() => void) | undefined;

  constructor(
    private readonly id: string,
    window: number,
    private readonly send: (content: Content) => boolean,
    private readonly onDone: () => void,
  ) {
    this.credit = window;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  accept(): void {
    if (this.accepted || this.ended) return;
    this.accepted = true;
    if (!this.send({ kind: 'streamData', streamId: this.id, encoding: 'utf8', data: '' })) this.stop();
  }

  async write(bytes: Buffer): Promise<boolean> {
    this.accept();
    let offset = 0;
    while (offset < bytes.length) {
      if (this.ended) return false;
      if (this.credit === 0) {
        await new Promise<void>((resolve) => (this.creditWaiter = resolve));
        continue;
      }
      const size = Math.min(MAX_STREAM_CHUNK_BYTES, this.credit, bytes.length - offset);
      const chunk = bytes.subarray(offset, offset + size);
      if (!this.send({ kind: 'streamData', streamId: this.id, ...encodeStreamBytes(chunk) })) {
        this.stop();
        return false;
      }
      this.credit -= size;
      offset += size;
    }
    return !this.ended;
  }

  end(error?: StreamError): void {
    if (this.ended) return;
    this.send({ kind: 'streamClose', streamId: this.id, ...(error !== undefined ? { error } : {}) });
    this.stop();
  }

  /** streamWindow from the cloud (R28). */
  grant(bytes: number): void {
    this.credit += bytes;
    this.wake();
  }

  /** The cloud closed the stream, or the connection is gone: nothing more is sent (R29, R31). */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.abort.abort();
    this.wake();
    this.onDone();
  }

  private wake(): void {
    const waiter = this.creditWaiter;
    this.creditWaiter = undefined;
    waiter?.();
  }
}

/** The streams multiplexed over the edge's session: opens them with the handler, routes credit and closes. */
export class EdgeStreams {
  private readonly streams = new Map<string, EdgeStream>();

  constructor(
    private readonly send: (content: Content) => boolean,
    private readonly handler: StreamHandler | undefined,
    private readonly logger: Logger,
  ) {}

  get openCount(): number {
    return this.streams.size;
  }

  onFrame(content: Extract<Content, { kind: 'streamOpen' | 'streamWindow' | 'streamClose' }>): void {
    switch (content.kind) {
      case 'streamOpen':
        return this.open(content);
      case 'streamWindow':
        return this.streams.get(content.streamId)?.grant(content.bytes);
      case 'streamClose':
        return this.streams.get(content.streamId)?.stop();
    }
  }

  /** The connection closed: every stream stops at once (R31). */
  reset(): void {
    for (const stream of [...this.streams.values()]) stream.stop();
    this.streams.clear();
  }

  private open(content: Extract<Content, { kind: 'streamOpen' }>): void {
    const { streamId } = content;
    const refuse = (code: string, message: string): void => void this.send({ kind: 'streamClose', streamId, error: { code, message } });
    if (this.streams.has(streamId)) return refuse('BadRequest', `stream ${streamId} is already open`);
    if (this.handler === undefined) return refuse('Unavailable', 'this edge serves no streams');
    if (this.streams.size >= MAX_STREAMS) return refuse('Unavailable', `this edge already serves ${MAX_STREAMS} streams; try again later`);
    const stream = new EdgeStream(streamId, content.window, this.send, () => this.streams.delete(streamId));
    this.streams.set(streamId, stream);
    this.logger.debug({ streamId, request: content.request.type }, 'stream opened');
    try {
      this.handler(content.request, stream);
    } catch (err) {
      this.logger.error({ err, streamId }, 'stream handler failed');
      stream.end({ code: 'Internal', message: err instanceof Error ? err.message : String(err) });
    }
  }
}
