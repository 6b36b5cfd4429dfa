import { cpus } from 'node:os';
import { sampleLoad, type LoadSample } from '../api/machine-load.js';
import { cpuTimeMs } from '../channel/proc-memory.js';

/** How often the CPU time of each child is read, so a child that exits loses at most this much. */
const SAMPLE_EVERY_MS = 100;

/**
 * The CPU used by other processes on the machine while the benchmark ran. bench/api's
 * foreignLoad subtracts one child; this run starts several (cloudcore, edgecore twice, the
 * baselines), some of which exit before the end, so the last CPU time read of each is kept.
 */
export class CpuLedger {
  private readonly lastMs = new Map<number, number>();
  private readonly start: LoadSample = sampleLoad(undefined);
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  track(pid: number): void {
    if (!this.lastMs.has(pid)) this.lastMs.set(pid, 0);
    this.sample();
  }

  sample(): void {
    for (const pid of this.lastMs.keys()) {
      const ms = cpuTimeMs(pid);
      if (ms !== undefined) this.lastMs.set(pid, ms);
    }
  }

  /** Share of the machine (all cores) used by processes other than this one and its tracked children. */
  finish(): number {
    this.sample();
    clearInterval(this.timer);
    const end = sampleLoad(undefined);
    const childrenMs = [...this.lastMs.values()].reduce((a, b) => a + b, 0);
    return foreignShare({
      machineBusyMs: end.machineBusyMs - this.start.machineBusyMs,
      ownMs: end.ownCpuMs - this.start.ownCpuMs,
      childrenMs,
      wallMs: end.at - this.start.at,
      cpus: cpus().length,
    });
  }
}

/** (machine busy − own − children) / capacity, clamped to 0..1. */
export function foreignShare(o: { machineBusyMs: number; ownMs: number; childrenMs: number; wallMs: number; cpus: number }): number {
  const capacity = o.wallMs * o.cpus;
  if (!(capacity > 0)) return 0;
  return Math.min(1, Math.max(0, (o.machineBusyMs - o.ownMs - o.childrenMs) / capacity));
}
