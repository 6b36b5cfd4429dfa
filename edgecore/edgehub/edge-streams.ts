import type { Logger } from '../../shared/logging.js';
import { decodeStreamBytes, encodeStreamBytes, MAX_STREAM_CHUNK_BYTES, type Content, type StreamChannel, type StreamError, type StreamRequest } from '../../shared/protocol/index.js';

/** Exec input from the cloud (R32): stdin bytes, a resize, or the end of stdin. */
export type StreamInput = { channel: 'stdin' | 'resize'; data: Buffer; eof: boolean };

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
  write(bytes: Buffer, channel?: 'stdout' | 'stderr'): Promise<boolean>;
  /** Ends the stream; with an error, the request was refused or failed (R29). Idempotent. */
  end(error?: StreamError): void;
  /** Ends an exec stream with the command's exit code (R32). Idempotent, like end(). */
  exit(exitCode: number): void;
  /**
   * Where exec input goes (R32). Input that came before a listener was set is handed to it then.
   * The listener must call consumed() once it has passed the bytes on, so the cloud may send more.
   */
  onInput(listener: (input: StreamInput) => void): void;
  /** Input bytes passed on: they become credit for the cloud (R28, R32). */
  consumed(bytes: number): void;
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
  /** Exec input: what the cloud may still send, what came early, and consumed bytes not yet granted back. */
  private inputAllowed: number;
  private readonly inputWindow: number;
  private inputUnreported = 0;
  private inputListener: ((input: StreamInput) => void) | undefined;
  private readonly earlyInput: StreamInput[] = [];

  constructor(
    private readonly id: string,
    window: number,
    private readonly send: (content: Content) => boolean,
    private readonly onDone: () => void,
  ) {
    this.credit = window;
    this.inputAllowed = window;
    this.inputWindow = window;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  accept(): void {
    if (this.accepted || this.ended) return;
    this.accepted = true;
    if (!this.send({ kind: 'streamData', streamId: this.id, encoding: 'utf8', data: '' })) this.stop();
  }

  async write(bytes: Buffer, channel?: 'stdout' | 'stderr'): Promise<boolean> {
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
      if (!this.send({ kind: 'streamData', streamId: this.id, ...(channel === undefined ? {} : { channel }), ...encodeStreamBytes(chunk) })) {
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

  exit(exitCode: number): void {
    if (this.ended) return;
    this.send({ kind: 'streamClose', streamId: this.id, exitCode });
    this.stop();
  }

  onInput(listener: (input: StreamInput) => void): void {
    this.inputListener = listener;
    for (const input of this.earlyInput.splice(0)) listener(input);
  }

  consumed(bytes: number): void {
    this.inputUnreported += bytes;
    // Batched as the cloud batches its grants (R28): never more than half the window outstanding.
    const batch = Math.max(1, Math.min(MAX_STREAM_CHUNK_BYTES, Math.floor(this.inputWindow / 2)));
    if (this.ended || this.inputUnreported < batch) return;
    if (this.send({ kind: 'streamWindow', streamId: this.id, bytes: this.inputUnreported })) {
      this.inputAllowed += this.inputUnreported;
      this.inputUnreported = 0;
    }
  }

  /** streamData from the cloud: exec input within the credit this end granted (R32). */
  input(channel: StreamChannel | undefined, data: Buffer, eof: boolean): void {
    if (this.ended) return;
    if (channel !== 'stdin' && channel !== 'resize') {
      this.end({ code: 'BadRequest', message: `the cloud may send only stdin or resize on a stream, not ${channel ?? 'untagged bytes'}` });
      return;
    }
    this.inputAllowed -= data.length;
    if (this.inputAllowed < 0) {
      this.end({ code: 'FlowControl', message: 'the cloud sent exec input beyond its credit (protocol.md R28)' });
      return;
    }
    const item = { channel, data, eof };
    if (this.inputListener === undefined) this.earlyInput.push(item);
    else this.inputListener(item);
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

  onFrame(content: Extract<Content, { kind: 'streamOpen' | 'streamData' | 'streamWindow' | 'streamClose' }>): void {
    switch (content.kind) {
      case 'streamOpen':
        return this.open(content);
      case 'streamData':
        return this.streams.get(content.streamId)?.input(content.channel, decodeStreamBytes(content.encoding, content.data), content.eof === true);
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
