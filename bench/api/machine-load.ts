import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * How much CPU other processes used while the benchmark ran. On a shared machine (builds, test
 * suites) that skews every figure, so the report says so instead of leaving a reader to guess.
 * Foreign CPU = the machine's busy time − this process's CPU − the cloud child's CPU.
 */
export interface LoadSample {
  at: number;
  machineBusyMs: number;
  ownCpuMs: number;
  childCpuMs: number | undefined;
}

export interface ForeignLoad {
  /** Share of the whole machine (all cores) used by other processes, 0..1. */
  foreignShare: number;
  wallMs: number;
}

export function sampleLoad(childPid: number | undefined): LoadSample {
  const machineBusyMs = cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
  const own = process.cpuUsage();
  return { at: performance.now(), machineBusyMs, ownCpuMs: (own.user + own.system) / 1000, childCpuMs: childPid === undefined ? undefined : processCpuMs(childPid) };
}

/** undefined when the child's CPU time cannot be read (not Linux), so no claim is made. */
export function foreignLoad(from: LoadSample, to: LoadSample): ForeignLoad | undefined {
  if (from.childCpuMs === undefined || to.childCpuMs === undefined) return undefined;
  const wallMs = to.at - from.at;
  const capacityMs = wallMs * cpus().length;
  if (capacityMs <= 0) return undefined;
  const foreignMs = to.machineBusyMs - from.machineBusyMs - (to.ownCpuMs - from.ownCpuMs) - (to.childCpuMs - from.childCpuMs);
  return { foreignShare: Math.max(0, foreignMs / capacityMs), wallMs };
}

/** Linux: the first field of /proc/<pid>/schedstat is the time spent on a CPU, in ns. */
function processCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/schedstat`, 'utf8');
  } catch {
    // Not Linux, or the process is gone: the foreign-load figure is simply left out.
    return undefined;
  }
  const ns = Number(text.split(' ')[0]);
  return Number.isFinite(ns) ? ns / 1e6 : undefined;
}

/** CPU use during one measured phase, as a share of one core (1 = a core fully busy). */
export interface PhaseCpu {
  wallMs: number;
  cloudCores: number | undefined;
  clientCores: number;
}

/**
 * Starts measuring a phase named `label`; the returned function ends it and reports its CPU use.
 * Each phase's window is also kept, on the monotonic clock V8's CPU profiles use, so a profile of
 * the cloud can be cut by phase.
 */
export type CpuMeter = (label: string) => () => PhaseCpu;

export interface PhaseWindow {
  label: string;
  /** CLOCK_MONOTONIC in µs, the clock of a .cpuprofile's timestamps on Linux. */
  fromUs: number;
  toUs: number;
}

export function cpuMeter(childPid: number): { meter: CpuMeter; windows: PhaseWindow[] } {
  const windows: PhaseWindow[] = [];
  const meter: CpuMeter = (label) => {
    const from = sampleLoad(childPid);
    const fromUs = monotonicUs();
    return () => {
      const to = sampleLoad(childPid);
      windows.push({ label, fromUs, toUs: monotonicUs() });
      const wallMs = Math.max(1e-3, to.at - from.at);
      const cloudMs = from.childCpuMs === undefined || to.childCpuMs === undefined ? undefined : to.childCpuMs - from.childCpuMs;
      return { wallMs, cloudCores: cloudMs === undefined ? undefined : cloudMs / wallMs, clientCores: (to.ownCpuMs - from.ownCpuMs) / wallMs };
    };
  };
  return { meter, windows };
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
