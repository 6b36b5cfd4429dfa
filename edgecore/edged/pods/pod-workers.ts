/**
 * One worker per pod uid (kubelet's podWorkers): syncs of a pod never overlap, and a sync asked
 * for while one runs is coalesced into a single further run. A sync may ask to run again later
 * (a back-off ending); the newest such request replaces the older one.
 */
import { errorMessage } from '../../../shared/errors.js';
import type { SyncOutcome } from './sync-context.js';

interface Worker {
  running: Promise<void> | undefined;
  pending: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(
    private readonly sync: (uid: string) => Promise<SyncOutcome>,
    private readonly onError: (uid: string, message: string) => void,
    private readonly errorRetryMs: number,
  ) {}

  /** Asks for a sync of the pod (now, or right after the one running). */
  request(uid: string): void {
    if (this.stopped) return;
    let worker = this.workers.get(uid);
    if (worker === undefined) {
      worker = { running: undefined, pending: false, timer: undefined };
      this.workers.set(uid, worker);
    }
    if (worker.running !== undefined) {
      worker.pending = true;
      return;
    }
    worker.running = this.run(uid, worker);
  }

  private async run(uid: string, worker: Worker): Promise<void> {
    do {
      worker.pending = false;
      let outcome: SyncOutcome;
      try {
        outcome = await this.sync(uid);
      } catch (err) {
        // A bug in one pod's sync must not stop its worker (or anyone else's): report, retry later.
        this.onError(uid, errorMessage(err));
        outcome = { requeueAfterMs: this.errorRetryMs };
      }
      this.schedule(uid, worker, outcome.requeueAfterMs);
    } while (worker.pending && !this.stopped);
    worker.running = undefined;
    if (worker.timer === undefined && !worker.pending) this.workers.delete(uid);
  }

  private schedule(uid: string, worker: Worker, afterMs: number | undefined): void {
    if (worker.timer !== undefined) clearTimeout(worker.timer);
    worker.timer = undefined;
    if (afterMs === undefined || this.stopped) return;
    worker.timer = setTimeout(() => {
      worker.timer = undefined;
      this.request(uid);
    }, Math.max(1, afterMs));
    worker.timer.unref();
  }

  /** True while a sync of this pod runs or is due. */
  busy(uid: string): boolean {
    return this.workers.has(uid);
  }

  /** Stops taking requests and waits for the syncs that are running. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const worker of this.workers.values()) {
      if (worker.timer !== undefined) clearTimeout(worker.timer);
      worker.timer = undefined;
      if (worker.running !== undefined) running.push(worker.running);
    }
    await Promise.all(running);
    this.workers.clear();
  }
}
