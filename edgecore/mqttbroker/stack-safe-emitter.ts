import mqemitter from 'mqemitter';

type Message = mqemitter.Message;
type Listener = (message: Message, done: () => void) => void;
type EmitCallback = (error?: Error) => void;

/** Messages routed in one uninterrupted run before the rest wait for the next turn of the loop. */
const ROUTE_BATCH = 1024;

/**
 * The `mq` the embedded broker hands to aedes: mqemitter's topic matching, with our own bounded
 * concurrency and queue in front of it (docs/mqtt-broker.md § The stack guard).
 *
 * Why: mqemitter queues messages past its concurrency and, when one finishes, routes the next
 * from inside the finishing callback (`released` → `_do`). A message that matches no subscriber
 * finishes synchronously, so a queue of thousands of such messages (a slow subscriber held the
 * slots, then went away) unwinds as one recursion and the process dies with "Maximum call stack
 * size exceeded". Here the inner mqemitter runs without a queue of its own, and our queue is
 * drained by a loop, never by recursion; a long run yields to the event loop every ROUTE_BATCH
 * messages so sockets keep being served.
 */
export class StackSafeEmitter {
  private readonly inner: mqemitter.MQEmitter;
  private readonly queue: Array<{ message: Message; callback: EmitCallback }> = [];
  private head = 0;
  private inFlight = 0;
  private draining = false;
  private drainScheduled = false;
  private closed = false;

  constructor(private readonly concurrency: number) {
    // concurrency 0: mqemitter never queues, so its `released` never re-enters `_do`.
    this.inner = mqemitter({ concurrency: 0, matchEmptyLevels: true });
  }

  /** Messages waiting to be routed. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Messages being routed now. */
  get current(): number {
    return this.inFlight;
  }

  on(topic: string, listener: Listener, done?: () => void): this {
    this.inner.on(topic, listener, done);
    return this;
  }

  removeListener(topic: string, listener: Listener, done?: () => void): this {
    this.inner.removeListener(topic, listener, done);
    return this;
  }

  emit(message: Message, callback?: EmitCallback): this {
    const cb = callback ?? noop;
    if (this.closed) {
      cb(new Error('the broker is closed'));
      return this;
    }
    this.queue.push({ message, callback: cb });
    this.drain();
    return this;
  }

  close(done: () => void): this {
    this.closed = true;
    this.inner.close(done);
    return this;
  }

  private drain(): void {
    // A callback that emits again while we loop just queues; the loop below routes it.
    if (this.draining) return;
    this.draining = true;
    let routed = 0;
    while (this.inFlight < this.concurrency && this.head < this.queue.length) {
      if (routed === ROUTE_BATCH) {
        this.scheduleDrain();
        break;
      }
      const item = this.queue[this.head];
      this.queue[this.head] = undefined as never;
      this.head += 1;
      if (item === undefined) continue;
      routed += 1;
      this.inFlight += 1;
      this.inner.emit(item.message, (error?: Error) => this.finished(item.callback, error));
    }
    this.compactQueue();
    this.draining = false;
  }

  private finished(callback: EmitCallback, error?: Error): void {
    this.inFlight -= 1;
    callback(error);
    if (!this.draining && this.length > 0) this.drain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private compactQueue(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

function noop(): void {}
