import { readFileSync } from 'node:fs';

/* Readings of /proc for the processes the benchmark started: memory and CPU time. */

/** A process's resident set, from /proc/<pid>/status, in bytes (undefined off Linux or once it exited). */
export function residentBytes(pid: number): number | undefined {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The VmRSS line of /proc/<pid>/status ("VmRSS:   123456 kB") in bytes. */
export function parseVmRss(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}

/** RSS added per connection: (with − before) / connections. */
export function bytesPerConnection(before: number, withConnections: number, connections: number): number {
  return connections > 0 ? (withConnections - before) / connections : Number.NaN;
}

/** CPU time a process has used so far, in ms (Linux /proc/<pid>/schedstat; undefined elsewhere or once it exited). */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
