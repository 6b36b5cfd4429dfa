import { fileURLToPath } from 'node:url';
import { forkChild, type Child } from './child.js';
import { workerMessageSchema, type EdgeEvent, type WorkerCommand, type WorkerConfig, type WorkerMessage } from './fleet-messages.js';

const WORKER_PATH = fileURLToPath(new URL('./hollow-edge-worker.js', import.meta.url));

/** What the fleet has seen, kept by node and by pod; all times are Date.now() ms. */
export class FleetLog {
  /** Each node's latest `synced` (welcome + inventory sent). */
  readonly lastSynced = new Map<string, number>();
  /** The hub each node's latest `synced` was on. */
  readonly syncedHub = new Map<string, string>();
  /** Each node's latest dial start. */
  readonly lastDial = new Map<string, number>();
  /** The first ack of each pod name. */
  readonly firstAck = new Map<string, number>();
  acks = 0;
  closes = 0;
  readonly closeReasons = new Map<string, number>();

  apply(event: EdgeEvent): void {
    switch (event.e) {
      case 'dial':
        this.lastDial.set(event.node, event.at);
        return;
      case 'synced':
        this.lastSynced.set(event.node, event.at);
        if (event.hub !== undefined) this.syncedHub.set(event.node, event.hub);
        return;
      case 'acked':
        this.acks++;
        if (!this.firstAck.has(event.pod)) this.firstAck.set(event.pod, event.at);
        return;
      case 'closed': {
        this.closes++;
        // Reasons carry no node name, so a storm of drops folds into a few lines.
        this.closeReasons.set(event.reason, (this.closeReasons.get(event.reason) ?? 0) + 1);
        return;
      }
    }
  }

  /** Nodes synced at or after `since` (of `among`, if given), and when the last of them did. */
  syncedSince(since: number, among?: ReadonlySet<string>): { count: number; last: number } {
    let count = 0;
    let last = since;
    for (const [node, at] of this.lastSynced) {
      if (at < since || (among !== undefined && !among.has(node))) continue;
      count++;
      if (at > last) last = at;
    }
    return { count, last };
  }
}

/**
 * The parent's side of the hollow-edge worker processes: forks them, sends commands, folds their
 * events into one FleetLog, and waits for conditions on it with a deadline.
 */
export class Fleet {
  readonly log = new FleetLog();
  private readonly workers: Child[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly replies: WorkerMessage[] = [];
  private failure: string | undefined;

  get pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  /** Forks one worker per config and resolves once every worker has signed its certificates. */
  async start(configs: WorkerConfig[], timeoutMs: number): Promise<{ certMs: number }> {
    let certMs = 0;
    let ready = 0;
    for (const config of configs) {
      const child = forkChild(WORKER_PATH, [JSON.stringify(config)]);
      this.workers.push(child);
      child.process.on('message', (raw: unknown) => {
        const parsed = workerMessageSchema.safeParse(raw);
        if (!parsed.success) this.failure ??= `worker ${child.pid} sent an invalid message: ${parsed.error.message}`;
        else if (parsed.data.t === 'events') for (const event of parsed.data.events) this.log.apply(event);
        else if (parsed.data.t === 'ready') {
          ready++;
          certMs = Math.max(certMs, parsed.data.certMs);
        } else if (parsed.data.t === 'error') this.failure ??= `worker ${child.pid}: ${parsed.data.message}`;
        else this.replies.push(parsed.data);
        for (const wake of [...this.waiters]) wake();
      });
      void child.exited.then((why) => {
        if (!this.stopping) this.failure ??= `worker ${child.pid} exited (${why})\n${child.output()}`;
        for (const wake of [...this.waiters]) wake();
      });
    }
    await this.waitFor(() => ready === configs.length, timeoutMs, () => `only ${ready} of ${configs.length} workers signed their certificates`);
    return { certMs };
  }

  private stopping = false;

  broadcast(command: WorkerCommand): void {
    for (const w of this.workers) w.process.send(command);
  }

  /** Sends a command and collects one reply of `kind` from every worker. */
  async ask<K extends 'echoDone' | 'stormDone'>(command: WorkerCommand, kind: K, timeoutMs: number): Promise<Array<Extract<WorkerMessage, { t: K }>>> {
    this.replies.length = 0;
    this.broadcast(command);
    const mine = (): Array<Extract<WorkerMessage, { t: K }>> => this.replies.filter((r): r is Extract<WorkerMessage, { t: K }> => r.t === kind);
    await this.waitFor(() => mine().length === this.workers.length, timeoutMs, () => `${mine().length} of ${this.workers.length} workers finished ${command.c}`);
    return mine();
  }

  /**
   * Resolves when `done()` holds, re-checked on every message from a worker (and every 250 ms);
   * rejects at the deadline with `progress()` in the message, or as soon as a worker failed.
   */
  waitFor(done: () => boolean, timeoutMs: number, progress: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => finish(new Error(`timed out after ${(timeoutMs / 1000).toFixed(0)} s: ${progress()}`)), timeoutMs);
      const poll = setInterval(() => check(), 250);
      const check = (): void => {
        if (this.failure !== undefined) finish(new Error(this.failure));
        else if (done()) finish(undefined);
      };
      const finish = (err: Error | undefined): void => {
        clearTimeout(deadline);
        clearInterval(poll);
        this.waiters.delete(check);
        if (err === undefined) resolve();
        else reject(err);
      };
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.workers) if (w.process.connected) w.process.send({ c: 'stop' } satisfies WorkerCommand);
    await Promise.all(this.workers.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 5000))]).then(() => w.stop())));
  }
}
