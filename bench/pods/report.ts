import { periodicLock, stageBreakdown, timelineOffsets, type PodTimeline, type StageFigures } from './breakdown.js';
import type { E2eFigures } from './e2e-phase.js';
import type { RawCriFigures } from './raw-cri-phase.js';
import type { MachineFacts } from '../shared/machine-facts.js';
import { formatTable, ms, pct, type ReportRow } from '../shared/report-format.js';

export interface PodsFigures {
  environment: MachineFacts & {
    /** Share of the machine other processes used in a quiet window before the run. */
    foreignShareBefore?: number;
    /** … and during the run (this run's processes: bench, cloudcore, edgecore, containerd, its shims). */
    foreignShareDuring?: number;
    relistPeriodSeconds: number;
  };
  /** First pod of the fresh edge: pod subnet, containerd start, image build and import. */
  warmupMs?: number;
  e2e?: E2eFigures;
  raw?: RawCriFigures;
}

/** The goals of the issue "Edged" for pod start, and the figures they are compared with. */
export const GOALS = { e2eP99Ms: 1000, overhead: 1.5 } as const;
/**
 * edgecore's edgehub sends its outbox on a 500 ms tick (edgecore/edgehub/edge-hub.ts TICK_MS)
 * unless something pumps it sooner; the report tests whether status reports wait for that tick.
 */
export const EDGEHUB_TICK_MS = 500;
export const REFERENCES = { kubernetesSloP99Ms: 5000, kubeEdgeP99Ms: 4100 } as const;

export interface Overhead {
  p50: number;
  p99: number;
}

export function overhead(e2e: Pick<E2eFigures, 'p50Ms' | 'p99Ms'>, raw: Pick<RawCriFigures, 'p50Ms' | 'p99Ms'>): Overhead {
  return { p50: e2e.p50Ms / raw.p50Ms, p99: e2e.p99Ms / raw.p99Ms };
}

export interface GoalOutcome {
  name: 'e2eP99Ms' | 'overheadP50' | 'overheadP99';
  measured: number;
  met: boolean;
}

export function evaluateGoals(f: PodsFigures): GoalOutcome[] {
  const out: GoalOutcome[] = [];
  const e = f.e2e;
  // A run in which pods never became Running has not met its goal, whatever the percentiles say.
  const complete = e !== undefined && e.running === e.count && e.failures === 0;
  if (e) out.push({ name: 'e2eP99Ms', measured: e.p99Ms, met: complete && e.p99Ms <= GOALS.e2eP99Ms });
  if (e && f.raw && f.raw.started > 0) {
    const o = overhead(e, f.raw);
    out.push({ name: 'overheadP50', measured: o.p50, met: complete && o.p50 <= GOALS.overhead });
    out.push({ name: 'overheadP99', measured: o.p99, met: complete && o.p99 <= GOALS.overhead });
  }
  return out;
}

const SAMPLE_TIMELINES = 5;

export function formatReport(f: PodsFigures): string[] {
  const goals = new Map(evaluateGoals(f).map((g) => [g.name, g.met ? 'met' : 'NOT MET']));
  const rows: ReportRow[] = [];
  const add = (figure: string, measured: string, goal = '', status = ''): void => void rows.push({ figure, measured, goal, status });
  if (f.warmupMs !== undefined) add('warm-up: first pod of a fresh edge', ms(f.warmupMs), '', '(podCIDR, containerd, images)');
  const e = f.e2e;
  if (e) {
    add(`API create -> Running in API, c=1 (${e.count} pods)`, `p50 ${ms(e.p50Ms)}  p99 ${ms(e.p99Ms)}  max ${ms(e.maxMs)}`, `p99 <= ${GOALS.e2eP99Ms} ms`, goals.get('e2eP99Ms') ?? '');
    add('  Running / created', `${e.running} / ${e.count}${e.timeouts > 0 ? `, ${e.timeouts} TIMED OUT` : ''}${e.failures > 0 ? `, ${e.failures} failures` : ''} (batches of ${e.batchSize})`);
  }
  const r = f.raw;
  if (r) {
    add(`raw CRI RunPodSandbox+Create+Start (${r.count})`, `p50 ${ms(r.p50Ms)}  p99 ${ms(r.p99Ms)}  max ${ms(r.maxMs)}`);
    add('  p50 of each call', `run ${ms(r.runPodSandboxP50Ms)}, create ${ms(r.createContainerP50Ms)}, start ${ms(r.startContainerP50Ms)}`);
    if (r.failures > 0) add('  failures', `${r.failures}`);
  }
  if (e && r && r.started > 0) {
    const o = overhead(e, r);
    add('overhead: end to end / raw CRI, p50', `${o.p50.toFixed(2)}x`, `<= ${GOALS.overhead}x`, goals.get('overheadP50') ?? '');
    add('overhead: end to end / raw CRI, p99', `${o.p99.toFixed(2)}x`, `<= ${GOALS.overhead}x`, goals.get('overheadP99') ?? '');
    add('  time outside the runtime, p50', ms(e.p50Ms - r.p50Ms));
  }
  add('for comparison: Kubernetes pod-start SLO (p99)', ms(REFERENCES.kubernetesSloP99Ms));
  add('for comparison: KubeEdge measured p99 at scale', ms(REFERENCES.kubeEdgeP99Ms));
  const env = f.environment;
  const load = [
    `load average ${env.loadAverageAtStart.toFixed(2)} at start`,
    env.foreignShareBefore === undefined ? '' : `other processes used ${pct(env.foreignShareBefore)} of the machine before the run`,
    env.foreignShareDuring === undefined ? '' : `${pct(env.foreignShareDuring)} during it`,
  ].filter((s) => s !== '');
  const lines = [`Outpost pod start benchmark (node ${env.node}, ${env.platform}, ${env.cpus} x ${env.cpuModel}, ${load.join(', ')})`, '', ...formatTable(rows, 'met?')];
  if (e && e.timelines.length > 0) lines.push('', ...breakdownLines(stageBreakdown(e.timelines), env.relistPeriodSeconds), ...lockLines(e.timelines), '', `sample pods (ms after the create was sent):`, ...e.timelines.slice(0, SAMPLE_TIMELINES).map((t) => `  ${t.name}: ${timelineOffsets(t)}`));
  lines.push(...notes(f));
  return lines;
}

function breakdownLines(stages: StageFigures[], relistSeconds: number): string[] {
  const width = Math.max(...stages.map((s) => s.name.length));
  return [
    `where the time goes (edge stamps: MetaServer watch, edged log, containerd's own times; relist period ${relistSeconds} s):`,
    ...stages.map((s) => `  ${s.name.padEnd(width)}  ${s.count === 0 ? 'n/a' : `p50 ${ms(s.p50Ms)}  p99 ${ms(s.p99Ms)}  (${s.count} pods)`}`),
  ];
}

/** Whether pods become Running in step with a periodic timer of the edge, rather than when their container started. */
function lockLines(timelines: readonly PodTimeline[]): string[] {
  if (timelines.length < 10) return [];
  const running = timelines.map((t) => t.runningMs);
  const started = timelines.flatMap((t) => (t.containerStartedMs === undefined ? [] : [t.containerStartedMs]));
  const r = (times: number[]): string => periodicLock(times, EDGEHUB_TICK_MS).toFixed(2);
  return [
    `  lock to edgehub's ${EDGEHUB_TICK_MS} ms outbox tick (successive gaps mod ${EDGEHUB_TICK_MS} ms; 1 = locked, random ~ ${(1 / Math.sqrt(timelines.length)).toFixed(2)}):`,
    `    Running in API ${r(running)}, container started ${r(started)} (control)`,
  ];
}

function notes(f: PodsFigures): string[] {
  const out: string[] = [];
  const during = f.environment.foreignShareDuring ?? 0;
  const before = f.environment.foreignShareBefore ?? 0;
  if (Math.max(before, during) > 0.1) out.push(`WARNING: other processes used ${pct(Math.max(before, during))} of the machine; the figures are skewed by that.`);
  if (f.e2e?.firstFailure !== undefined) out.push(`WARNING: ${f.e2e.failures} end-to-end failures, first: ${f.e2e.firstFailure}`);
  if (f.raw?.firstFailure !== undefined) out.push(`WARNING: ${f.raw.failures} raw CRI failures, first: ${f.raw.firstFailure}`);
  return out.length === 0 ? [] : ['', ...out];
}
