import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { sampleLoad, type LoadSample } from '../api/machine-load.js';
import { foreignShare } from '../edge-sync/cpu-ledger.js';

/**
 * The CPU used by other processes while the benchmark ran. Unlike edge-sync's ledger, the
 * processes of this run include containerd's shims, which are not children of anything the
 * benchmark started (they daemonize): they are found by their command line, which names the
 * edge's containerd socket. CPU is read from /proc/<pid>/stat with the reaped children's time
 * (cutime + cstime), so runc and the containers a shim waited for count as the run's too.
 */
const SAMPLE_EVERY_MS = 200;
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

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES') return undefined; // the process exited meanwhile
    throw err;
  }
}

export class RuntimeCpuLedger {
  private readonly lastMs = new Map<number, number>();
  private readonly tracked = new Set<number>();
  private readonly markers: string[] = [];
  private readonly start: LoadSample = sampleLoad(undefined);
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
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
    const pids = new Set(this.tracked);
    if (this.markers.length > 0) {
      for (const entry of readdirSync('/proc')) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || this.lastMs.has(pid)) continue;
        const cmdline = readText(`/proc/${pid}/cmdline`)?.replace(/\0/g, ' ');
        if (cmdline !== undefined && this.markers.some((m) => cmdline.includes(m))) pids.add(pid);
      }
      for (const pid of this.lastMs.keys()) pids.add(pid);
    }
    for (const pid of pids) {
      const stat = readText(`/proc/${pid}/stat`);
      const ms = stat === undefined ? undefined : procStatCpuMs(stat);
      if (ms !== undefined) this.lastMs.set(pid, ms);
    }
  }

  /** How many processes were counted as this run's. */
  get processes(): number {
    return this.lastMs.size;
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
  const ledger = new RuntimeCpuLedger();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return ledger.finish();
}
