import type { CommitLatencyFigures } from './commit-latency.js';
import type { MemoryFigures } from './memory-phase.js';
import type { ResyncFigures } from './resync-phase.js';
import type { MachineFacts } from '../shared/machine-facts.js';
import { formatTable, mib, ms, pct, type ReportRow } from '../shared/report-format.js';

export interface EdgeSyncFigures {
  environment: MachineFacts & {
    /** Share of the machine other processes used during the run (bench/shared/cpu-ledger.ts). */
    foreignCpuShare?: number;
  };
  commitC1?: CommitLatencyFigures;
  commitC8?: CommitLatencyFigures;
  memory?: MemoryFigures;
  resync?: ResyncFigures;
}

const MIB = 1024 * 1024;

/** The targets of the issue "Edge metadata sync". RSS is in MiB, as ps and top count a "MB". */
export const GOALS = { commitP99C1Ms: 50, edgeRssMiB: 70 } as const;

export interface GoalOutcome {
  name: keyof typeof GOALS;
  measured: number;
  met: boolean;
}

export function evaluateGoals(f: EdgeSyncFigures): GoalOutcome[] {
  const out: GoalOutcome[] = [];
  const c = f.commitC1;
  if (c) {
    // A run that lost commits has not met its latency goal, whatever the percentiles say.
    const complete = c.committed === c.count && c.failures === 0;
    out.push({ name: 'commitP99C1Ms', measured: c.p99Ms, met: complete && c.p99Ms <= GOALS.commitP99C1Ms });
  }
  if (f.memory) {
    const rssMiB = f.memory.edgeRssBytes / MIB;
    out.push({ name: 'edgeRssMiB', measured: rssMiB, met: rssMiB <= GOALS.edgeRssMiB });
  }
  return out;
}

export function formatReport(f: EdgeSyncFigures): string[] {
  const goals = new Map(evaluateGoals(f).map((g) => [g.name, g.met ? 'met' : 'NOT MET']));
  const rows: ReportRow[] = [];
  const add = (figure: string, measured: string, goal = '', status = ''): void => void rows.push({ figure, measured, goal, status });
  for (const c of [f.commitC1, f.commitC8]) {
    if (!c) continue;
    const first = c === f.commitC1;
    add(`create -> edge commit, c=${c.concurrency} (${c.count} pods)`, `p50 ${ms(c.p50Ms)}  p99 ${ms(c.p99Ms)}  max ${ms(c.maxMs)}`, first ? `p99 <= ${GOALS.commitP99C1Ms} ms` : '', first ? (goals.get('commitP99C1Ms') ?? '') : '');
    add('  of which API create (201)', `p50 ${ms(c.apiP50Ms)}  p99 ${ms(c.apiP99Ms)}`);
    add('  committed on the edge', `${c.committed} / ${c.count} in ${(c.wallMs / 1000).toFixed(1)} s${c.timeouts > 0 ? `, ${c.timeouts} TIMED OUT` : ''}`);
  }
  const m = f.memory;
  if (m) {
    add(`edgecore RSS, ${m.podsCached} pods cached (after ${m.settleMs / 1000} s idle)`, mib(m.edgeRssBytes), `<= ${GOALS.edgeRssMiB} MiB`, goals.get('edgeRssMiB') ?? '');
    add('  bare node (setInterval only)', m.bareNodeRssBytes === undefined ? 'n/a' : mib(m.bareNodeRssBytes));
    add('  skeleton (edge libraries, no Outpost code)', m.skeletonRssBytes === undefined ? 'n/a' : mib(m.skeletonRssBytes));
    if (m.skeletonRssBytes !== undefined) add('  Outpost code + data (edge - skeleton)', mib(m.edgeRssBytes - m.skeletonRssBytes));
    if (m.emptySkeletonRssBytes !== undefined) {
      const floor = m.emptySkeletonRssBytes;
      add('  skeleton entry loading no library', mib(floor));
      const costs = Object.entries(m.libraryRssBytes).sort(([, a], [, b]) => b - a);
      // Shared dependencies and the ESM loader's warm-up make these overlap: they need not add up.
      if (costs.length > 0) add('  each library alone, over that entry', costs.map(([name, rss]) => `${name} +${((rss - floor) / MIB).toFixed(1)}`).slice(0, 4).join(', '));
      if (costs.length > 4) add('', costs.map(([name, rss]) => `${name} +${((rss - floor) / MIB).toFixed(1)}`).slice(4).join(', '));
    }
    const h = m.heap;
    if (h?.heapUsedBytes !== undefined) {
      add('  V8 heap used / total', `${mib(h.heapUsedBytes)} / ${mib(h.heapTotalBytes ?? Number.NaN)}`);
      add('  external (incl. array buffers)', h.externalBytes === undefined ? 'n/a' : mib(h.externalBytes));
      add('  array buffers', h.arrayBuffersBytes === undefined ? 'n/a (not a prom-client default metric)' : mib(h.arrayBuffersBytes));
      if (h.heapTotalBytes !== undefined && h.externalBytes !== undefined && h.residentBytes !== undefined) {
        add('  RSS outside heap and external', `${mib(h.residentBytes - h.heapTotalBytes - h.externalBytes)} (code, native libs, SQLite, stacks)`);
      }
      const spaces = Object.entries(h.heapSpacesUsed).filter(([, v]) => v >= 0.05 * MIB);
      if (spaces.length > 0) add('  heap spaces used', spaces.map(([k, v]) => `${k.replace(/_space$/, '')} ${(v / MIB).toFixed(1)}`).join(', '));
    }
  }
  const r = f.resync;
  if (r) {
    const c = r.changes;
    add(`offline changes made (edge stopped)`, `${c.applied} / ${c.planned} in ${(c.wallMs / 1000).toFixed(1)} s${c.failures > 0 ? `, ${c.failures} FAILED` : ''}`);
    add('  mix', `cm create ${c.counts.createConfigMap}, cm update ${c.counts.updateConfigMap}, pod create ${c.counts.createPod}, relabel ${c.counts.relabelPod}, delete ${c.counts.deletePod}`);
    add('resync: process start -> connected', ms(r.startToConnectedMs));
    add('  of which start -> MetaServer ready', ms(r.startToReadyMs));
    add('resync: connected -> converged', r.converged ? ms(r.connectedToConvergedMs) : `NOT CONVERGED (${r.lastDiff})`);
    add('resync: start -> converged', r.converged ? ms(r.startToConvergedMs) : 'n/a');
    add('  converged to', `${r.expectedPods} pods${r.configMaps === 'not-synced' ? '' : `, ${r.expectedConfigMaps} configmaps`}`);
    add('  SIGTERM -> edge exit', `${ms(r.stopMs)} (${r.stopOutcome})`);
  }
  const e = f.environment;
  const load = `load average ${e.loadAverageAtStart.toFixed(2)} at start${e.foreignCpuShare === undefined ? '' : `, other processes used ${pct(e.foreignCpuShare)} of the machine during the run`}`;
  return [`Outpost edge metadata sync benchmark (node ${e.node}, ${e.platform}, ${e.cpus} x ${e.cpuModel}, ${load})`, '', ...formatTable(rows, 'met?'), ...notes(f)];
}

function notes(f: EdgeSyncFigures): string[] {
  const out: string[] = [];
  if ((f.environment.foreignCpuShare ?? 0) > 0.1) out.push(`WARNING: other processes used ${pct(f.environment.foreignCpuShare ?? 0)} of the machine during the run; the figures are skewed by that.`);
  for (const c of [f.commitC1, f.commitC8]) {
    if (c && c.failures > 0) out.push(`WARNING: ${c.failures} creates failed at c=${c.concurrency}: ${c.firstFailure ?? ''}`);
  }
  if (f.memory?.metricsProblem !== undefined) out.push(`NOTE: ${f.memory.metricsProblem}`);
  const r = f.resync;
  if (r?.configMaps === 'not-synced') out.push('NOTE: the cloud did not send the configmaps the pods reference (EdgeController syncs pods only so far); convergence compared pods only.');
  if (r?.configMaps === 'partial') out.push('WARNING: the edge held only some of the referenced configmaps before the stop; convergence compared pods and configmaps.');
  if (r && r.changes.failures > 0) out.push(`WARNING: ${r.changes.failures} offline changes failed: ${r.changes.firstFailure ?? ''}`);
  return out.length === 0 ? [] : ['', ...out];
}
