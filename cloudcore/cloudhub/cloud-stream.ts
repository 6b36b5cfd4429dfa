import { encodeStreamBytes, MAX_STREAM_CHUNK_BYTES, type Content, type StreamChannel, type StreamError } from '../../shared/protocol/index.js';

/**
 * What one read of a stream gives: bytes (empty = the edge accepted the request; `channel` for
 * exec output), the end (with the exit code of an exec), or why it failed.
 */
export type StreamRead =
  | { kind: 'data'; data: Buffer; channel?: StreamChannel }
  | { kind: 'end'; exitCode?: number }
  | { kind: 'error'; code: string; message: string };

/** A stream to an edge as its consumer (an HTTP handler) sees it (protocol.md R26–R31). */
export interface HubStream {
  readonly id: string;
  /**
   * The next chunk. Asking for the next chunk means the one before has been consumed (written and
   * drained), so the edge is granted credit for it then (R28): a slow client slows the edge.
   */
  read(): Promise<StreamRead>;
  /** Ends the stream from the cloud's side, e.g. when the HTTP client went away (R29). */
  cancel(reason: string): void;
  /**
   * Sends exec input (R32) in chunks within the credit the edge granted; resolves false when the
   * stream is over. Calls must not overlap: await each one.
   */
  write(channel: 'stdin' | 'resize', bytes: Buffer): Promise<boolean>;
  /** Tells the edge the client's stdin reached its end (R32). */
  closeInput(): void;
}

export interface CloudStreamOptions {
  id: string;
  /** The initial window offered in streamOpen. */
  window: number;
  /** Without any answer from the edge within this time the request fails (R27). */
  acceptTimeoutMs: number;
  send: (content: Content) => boolean;
  /** Called once, when the stream is over for whatever reason. */
  onDone: () => void;
}

/**
 * The cloud's end of one stream: it queues what the edge sends, never more than the credit it
 * granted (R28), and hands credit back in batches as the consumer reads on.
 */
export class CloudStream implements HubStream {
  private readonly queue: StreamRead[] = [];
  private waiter: ((read: StreamRead) => void) | undefined;
  private granted: number;
  private received = 0;
  private lastReadBytes = 0;
  private unreported = 0;
  private answered = false;
  private finished = false;
  /** Credit for exec input, cloud → edge: the same window, given back by the edge's streamWindow (R32). */
  private inputCredit: number;
  private creditWaiter: (() => void) | undefined;
  private readonly acceptTimer: NodeJS.Timeout;
  /** Credit goes back once this much was consumed: fewer frames, and never a stall (it is ≤ the window). */
  private readonly grantBatch: number;

  constructor(private readonly options: CloudStreamOptions) {
    this.granted = options.window;
    this.inputCredit = options.window;
    this.grantBatch = Math.max(1, Math.min(32 * 1024, Math.floor(options.window / 2)));
    this.acceptTimer = setTimeout(() => {
      if (this.answered) return;
      this.options.send({ kind: 'streamClose', streamId: this.id, error: { code: 'Timeout', message: 'no answer within the time allowed' } });
      this.finish({ kind: 'error', code: 'Timeout', message: `the node did not answer within ${Math.round(options.acceptTimeoutMs / 1000)} s` });
    }, options.acceptTimeoutMs);
    this.acceptTimer.unref();
  }

  get id(): string {
    return this.options.id;
  }

  /** Bytes from the edge (R28): more than the granted credit is a broken peer, and ends the stream. */
  onData(bytes: Buffer, channel?: StreamChannel): void {
    if (this.finished) return;
    // Only the first empty streamData means something ("accepted", R27). Later ones carry no
    // bytes and spend no credit, so queueing them would let a node grow the queue without bound (R35).
    if (bytes.length === 0 && this.answered) return;
    this.answered = true;
    this.received += bytes.length;
    if (this.received > this.granted) {
      const message = `the node sent ${this.received} bytes with ${this.granted} bytes of credit (protocol.md R28)`;
      this.options.send({ kind: 'streamClose', streamId: this.id, error: { code: 'FlowControl', message } });
      this.finish({ kind: 'error', code: 'Internal', message });
      return;
    }
    this.push({ kind: 'data', data: bytes, ...(channel === undefined ? {} : { channel }) });
  }

  /** The edge ended the stream (R29), with an exec's exit code (R32). */
  onClose(error: StreamError | undefined, exitCode?: number): void {
    if (this.finished) return;
    this.answered = true;
    this.finish(error === undefined ? { kind: 'end', ...(exitCode === undefined ? {} : { exitCode }) } : { kind: 'error', code: error.code, message: error.message });
  }

  /** The edge consumed exec input: it may be sent more (R32). */
  onWindow(bytes: number): void {
    this.inputCredit += bytes;
    this.wake();
  }

  async write(channel: 'stdin' | 'resize', bytes: Buffer): Promise<boolean> {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.finished) return false;
      if (this.inputCredit === 0) {
        await new Promise<void>((resolve) => (this.creditWaiter = resolve));
        continue;
      }
      const size = Math.min(MAX_STREAM_CHUNK_BYTES, this.inputCredit, bytes.length - offset);
      if (!this.options.send({ kind: 'streamData', streamId: this.id, channel, ...encodeStreamBytes(bytes.subarray(offset, offset + size)) })) return false;
      this.inputCredit -= size;
      offset += size;
    }
    return !this.finished;
  }

  closeInput(): void {
    if (this.finished) return;
    this.options.send({ kind: 'streamData', streamId: this.id, channel: 'stdin', encoding: 'utf8', data: '', eof: true });
  }

  private wake(): void {
    const waiter = this.creditWaiter;
    this.creditWaiter = undefined;
    waiter?.();
  }

  /** The session is gone (R31): nothing can be sent any more. */
  onSessionLost(message: string): void {
    this.finish({ kind: 'error', code: 'Unavailable', message });
  }

  read(): Promise<StreamRead> {
    this.release();
    const next = this.queue.shift();
    if (next !== undefined) return Promise.resolve(this.account(next));
    if (this.finished) return Promise.resolve({ kind: 'end' });
    return new Promise((resolve) => {
      this.waiter = (read) => resolve(this.account(read));
    });
  }

  cancel(reason: string): void {
    if (this.finished) return;
    this.options.send({ kind: 'streamClose', streamId: this.id, error: { code: 'Cancelled', message: reason.slice(0, 4096) } });
    this.finish({ kind: 'end' });
  }

  private account(read: StreamRead): StreamRead {
    this.lastReadBytes = read.kind === 'data' ? read.data.length : 0;
    return read;
  }

  /** The chunk read last is consumed: its bytes become credit, sent once a batch is due. */
  private release(): void {
    this.unreported += this.lastReadBytes;
    this.lastReadBytes = 0;
    if (this.finished || this.unreported < this.grantBatch) return;
    if (this.options.send({ kind: 'streamWindow', streamId: this.id, bytes: this.unreported })) {
      this.granted += this.unreported;
      this.unreported = 0;
    }
  }

  private push(read: StreamRead): void {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter(read);
      return;
    }
    this.queue.push(read);
  }

  private finish(last: StreamRead): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.acceptTimer);
    this.wake();
    this.push(last);
    this.options.onDone();
  }
}
