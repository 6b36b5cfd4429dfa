import { readFileSync } from 'node:fs';
import type { HttpSender } from './http-sender.js';
import type { Finding } from './verdict.js';

/**
 * Watches the cloudcore under fuzz: its pid is alive, `/healthz` answers 200, and its resident
 * memory (VmRSS in /proc/<pid>/status) stays under the bound. RSS is sampled every 250 ms so that
 * the peak between two checks is seen too.
 */
const SAMPLE_MS = 250;

export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // the process is gone: isAlive says so
    throw err;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:\s+Z/m) === null; // a zombie has exited
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH' || (err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export class Watchdog {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly health: HttpSender,
    readonly maxRssBytes: number,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get peakRssBytes(): number {
    return this.peak;
  }

  private sample(): void {
    this.peak = Math.max(this.peak, residentBytes(this.pid) ?? 0);
  }

  /** The checks of one moment; findings name `caseIndex`, the last case sent before them. */
  async check(caseIndex: number): Promise<Finding[]> {
    this.sample();
    if (!isAlive(this.pid)) return [{ kind: 'crash', caseIndex, detail: `cloudcore (pid ${this.pid}) is not running` }];
    const findings: Finding[] = [];
    const res = await this.health.send({ method: 'GET', path: '/healthz', headers: {}, label: 'health check' });
    if (res.kind !== 'response' || res.status !== 200) findings.push({ kind: 'unhealthy', caseIndex, detail: `/healthz: ${res.kind === 'response' ? `${res.status} ${res.body.slice(0, 200)}` : res.kind}` });
    if (this.peak > this.maxRssBytes) findings.push({ kind: 'memory', caseIndex, detail: `peak RSS ${mib(this.peak)} over the bound of ${mib(this.maxRssBytes)}` });
    return findings;
  }
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
