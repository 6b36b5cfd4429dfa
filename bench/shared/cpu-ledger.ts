import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { sampleLoad, type LoadSample } from '../api/machine-load.js';
import { cpuTimeMs } from '../channel/proc-memory.js';

/**
 * The CPU used by other processes on the machine while a benchmark ran: the machine's busy time
 * minus this process's and that of the run's processes. bench/api's foreignLoad subtracts one
 * child; the edge-sync and pods runs start several (cloudcore, edgecore, baselines), some of which
 * exit before the end, so the CPU time of each is read every few hundred ms and the last reading
 * kept. The pods run also counts containerd's shims, which are children of nothing the benchmark
 * started (they daemonize): trackByCommandLine finds them by a marker on their command line.
 */
export interface CpuLedgerOptions {
  /** How often each process's CPU time is read: one that exits loses at most this much. Default 100 ms. */
  sampleEveryMs?: number;
  /**
   * Count, for each process, the CPU of the children it reaped too (utime + stime + cutime +
   * cstime of /proc/<pid>/stat, 10 ms ticks), so runc and the containers a shim waited for count
   * as the run's. Otherwise the process's own time from /proc/<pid>/schedstat (ns). Default false.
   */
  includeReapedChildren?: boolean;
}

/** USER_HZ: /proc/<pid>/stat counts clock ticks of 1/100 s on Linux (proc(5)). */
const TICKS_PER_SECOND = 100;

/** utime + stime + cutime + cstime of a /proc/<pid>/stat text, in ms; undefined if malformed. */
export function procStatCpuMs(stat: string): number | undefined {
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime..cstime are fields 14..17.
  const ticks = [11, 12, 13, 14].map((i) => Number(rest[i]));
  if (ticks.some((t) => !Number.isFinite(t))) return undefined;
  return (ticks.reduce((a, b) => a + b, 0) * 1000) / TICKS_PER_SECOND;
}

/** (machine busy − own − children) / capacity, clamped to 0..1. */
export function foreignShare(o: { machineBusyMs: number; ownMs: number; childrenMs: number; wallMs: number; cpus: number }): number {
  const capacity = o.wallMs * o.cpus;
  if (!(capacity > 0)) return 0;
  return Math.min(1, Math.max(0, (o.machineBusyMs - o.ownMs - o.childrenMs) / capacity));
}

function readProcText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES') return undefined; // the process exited meanwhile
    throw err;
  }
}

function statCpuMs(pid: number): number | undefined {
  const stat = readProcText(`/proc/${pid}/stat`);
  return stat === undefined ? undefined : procStatCpuMs(stat);
}

export class CpuLedger {
  private readonly lastMs = new Map<number, number>();
  private readonly tracked = new Set<number>();
  private readonly markers: string[] = [];
  private readonly start: LoadSample = sampleLoad(undefined);
  private readonly timer: NodeJS.Timeout;
  private readonly cpuMsOf: (pid: number) => number | undefined;

  constructor(options: CpuLedgerOptions = {}) {
    this.cpuMsOf = options.includeReapedChildren === true ? statCpuMs : cpuTimeMs;
    this.timer = setInterval(() => this.sample(), options.sampleEveryMs ?? 100);
    this.timer.unref();
  }

  /** A process of this run, by pid. */
  track(pid: number): void {
    this.tracked.add(pid);
    this.sample();
  }

  /** Every process whose command line contains `marker` is this run's too (e.g. the containerd socket). */
  trackByCommandLine(marker: string): void {
    this.markers.push(marker);
    this.sample();
  }

  sample(): void {
    const pids = new Set([...this.tracked, ...this.lastMs.keys()]);
    if (this.markers.length > 0) {
      for (const entry of readdirSync('/proc')) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pids.has(pid)) continue;
        const cmdline = readProcText(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ');
        if (cmdline !== undefined && this.markers.some((m) => cmdline.includes(m))) pids.add(pid);
      }
    }
    for (const pid of pids) {
      const ms = this.cpuMsOf(pid);
      if (ms !== undefined) this.lastMs.set(pid, ms);
    }
  }

  /** Share of the machine (all cores) used by processes other than this one and the run's. */
  finish(): number {
    this.sample();
    clearInterval(this.timer);
    const end = sampleLoad(undefined);
    const childrenMs = [...this.lastMs.values()].reduce((a, b) => a + b, 0);
    return foreignShare({ machineBusyMs: end.machineBusyMs - this.start.machineBusyMs, ownMs: end.ownCpuMs - this.start.ownCpuMs, childrenMs, wallMs: end.at - this.start.at, cpus: cpus().length });
  }
}

/** The machine's load by others over a quiet window before anything of the run starts. */
export async function idleForeignShare(windowMs: number): Promise<number> {
  const ledger = new CpuLedger();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return ledger.finish();
}
