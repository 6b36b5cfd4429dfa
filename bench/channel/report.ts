import { formatTable, int, mib, ms as shortMs, ratio, type ReportRow } from '../shared/report-format.js';

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the restarted cloudcore counted during a resync (its /metrics). */
export interface HandshakeCounters {
  resumedSessions?: number;
  fullHandshakes?: number;
  admitted?: number;
  deferred?: number;
}

export interface ChannelFigures {
  environment: { node: string; cpus: number; cpuModel: string; edges: number; workers: number; dialsInFlight: number; restartSignal: string; loadAverageAtStart: number };
  /** Signing N node certificates (one shared key pair), in the workers, in parallel. */
  certIssueMs?: number;
  connect?: { edges: number; ms: number; cloudReportsConnected?: number; cloudCores?: number | undefined };
  memory?: { rssBeforeBytes: number; rssConnectedBytes: number; perConnectionBytes: number; rssAfterPodsBytes?: number };
  changeToAck?: LatencyFigures & { sent: number; intervalMs: number; failures: number };
  burst?: LatencyFigures & { pods: number; untilAllAckedMs: number; createsAnsweredMs: number; failures: number; cloudCores?: number | undefined };
  /** cloudcore killed and restarted; edges come back on their real full-jitter backoff. */
  resyncBackoff?: HandshakeCounters & { fromKillMs: number; fromReadyMs: number; cloudStartMs: number; lastDialAfterReadyMs: number; cloudCores?: number | undefined };
  /** The same restart, but every edge held until the new cloud is ready, then dialled at once. */
  resyncAtOnce?: HandshakeCounters & { fromReleaseMs: number; cloudStartMs: number; cloudCores?: number | undefined };
  echo?: LatencyFigures & { connections: number; connectMs: number; connectFailures: number };
  storm?: { handshakes: number; ms: number; failures: number; serverCores?: number | undefined };
  /** Two cloudcores on one etcd, half the edges each; one SIGKILLed (docs/failover.md). */
  failover?: HandshakeCounters & { edges: number; connectMs: number; movedEdges: number; onSurvivor: number; fromKillMs: number; loadAverageAtKill: number };
}

export const GOALS = {
  rssAt10kBytes: 1024 ** 3,
  changeToAckP99Ms: 100,
  fanoutAllMs: 2000,
  resyncOverStorm: 1.25,
  failoverMs: 10_000,
} as const;

export interface GoalOutcome {
  name: keyof typeof GOALS;
  measured: number;
  met: boolean;
  /** True when measured at a scale other than the goal's (e.g. RSS projected to 10,000). */
  indicative: boolean;
}

export function evaluateGoals(f: ChannelFigures): GoalOutcome[] {
  const out: GoalOutcome[] = [];
  const edges = f.environment.edges;
  if (f.memory) {
    const at10k = edges >= 10_000 ? f.memory.rssConnectedBytes : projectRss(f.memory.rssBeforeBytes, f.memory.perConnectionBytes, 10_000);
    out.push({ name: 'rssAt10kBytes', measured: at10k, met: at10k < GOALS.rssAt10kBytes, indicative: edges < 10_000 });
  }
  if (f.changeToAck) {
    const complete = f.changeToAck.count === f.changeToAck.sent;
    out.push({ name: 'changeToAckP99Ms', measured: f.changeToAck.p99Ms, met: complete && f.changeToAck.p99Ms <= GOALS.changeToAckP99Ms, indicative: edges !== 1000 });
  }
  if (f.burst) {
    out.push({ name: 'fanoutAllMs', measured: f.burst.untilAllAckedMs, met: f.burst.untilAllAckedMs <= GOALS.fanoutAllMs, indicative: edges < 10_000 });
  }
  if (f.resyncBackoff && f.storm) {
    const ratio = f.resyncBackoff.fromReadyMs / f.storm.ms;
    out.push({ name: 'resyncOverStorm', measured: ratio, met: ratio <= GOALS.resyncOverStorm, indicative: false });
  }
  if (f.failover) {
    const all = f.failover.onSurvivor === f.failover.movedEdges;
    out.push({ name: 'failoverMs', measured: f.failover.fromKillMs, met: all && f.failover.fromKillMs <= GOALS.failoverMs, indicative: edges !== 1000 });
  }
  return out;
}

/** RSS at `connections`, from the idle RSS and the measured cost per connection. */
export function projectRss(beforeBytes: number, perConnectionBytes: number, connections: number): number {
  return beforeBytes + perConnectionBytes * connections;
}

export function formatReport(f: ChannelFigures): string[] {
  const goals = new Map(evaluateGoals(f).map((g) => [g.name, g]));
  const status = (name: keyof typeof GOALS): string => {
    const g = goals.get(name);
    if (g === undefined) return '';
    return `${g.met ? 'met' : 'NOT MET'}${g.indicative ? ' (indicative: other N)' : ''}`;
  };
  const rows: ReportRow[] = [];
  const add = (figure: string, measured: string, goal = '', state = ''): void => void rows.push({ figure, measured, goal, status: state });
  const n = f.environment.edges;
  if (f.certIssueMs !== undefined) add(`sign ${int(n)} node certs (1 shared key)`, ms(f.certIssueMs));
  if (f.connect) {
    add(`connect all ${int(f.connect.edges)} (welcome + inventory)`, `${ms(f.connect.ms)}${cores(f.connect.cloudCores, 'cloudcore')}`);
    if (f.connect.cloudReportsConnected !== undefined) add('  cloudcore connected_nodes', int(f.connect.cloudReportsConnected));
  }
  if (f.echo) add(`  baseline: ws echo connect ${int(f.echo.connections)}`, ms(f.echo.connectMs));
  if (f.memory) {
    const m = f.memory;
    const g = goals.get('rssAt10kBytes');
    add('cloudcore RSS idle / connected', `${mib(m.rssBeforeBytes)} / ${mib(m.rssConnectedBytes)}`);
    add('  RSS per connection', `${(m.perConnectionBytes / 1024).toFixed(1)} KiB`);
    if (g !== undefined) add(n >= 10_000 ? '  RSS with 10,000 edges' : '  RSS projected to 10,000 edges', mib(g.measured), '< 1 GiB at 10,000', status('rssAt10kBytes'));
    if (m.rssAfterPodsBytes !== undefined) add('  RSS after the pods below', mib(m.rssAfterPodsBytes));
  }
  if (f.changeToAck) {
    const c = f.changeToAck;
    add(`change→ack, ${int(c.sent)} pods, 1 per ${c.intervalMs} ms`, lat(c), 'p99 <= 100 ms at 1,000', status('changeToAckP99Ms'));
    if (c.count !== c.sent || c.failures > 0) add('  acked / create failures', `${int(c.count)} of ${int(c.sent)} / ${c.failures}`);
  }
  if (f.echo) add('  baseline: ws echo round trip', lat(f.echo));
  if (f.burst) {
    const b = f.burst;
    add(`burst of ${int(b.pods)} pods, 1 per node, until all acked`, `${ms(b.untilAllAckedMs)}${cores(b.cloudCores, 'cloudcore')}`, '<= 2 s at 10,000', status('fanoutAllMs'));
    add('  of which the API took to accept all creates', ms(b.createsAnsweredMs));
    add('  per pod create→ack', lat(b));
  }
  if (f.resyncBackoff) {
    const r = f.resyncBackoff;
    add(`resync all after ${f.environment.restartSignal}, real retry timing`, `${ms(r.fromReadyMs)} from cloud ready (${ms(r.fromKillMs)} from kill)${cores(r.cloudCores, 'cloudcore')}`);
    add('  cloudcore restart until ready', ms(r.cloudStartMs));
    add('  last edge dialled after ready', ms(r.lastDialAfterReadyMs));
    addHandshakes(add, r);
  }
  if (f.resyncAtOnce) {
    add('resync all, edges held then dialled at once', `${ms(f.resyncAtOnce.fromReleaseMs)} from release${cores(f.resyncAtOnce.cloudCores, 'cloudcore')}`);
    addHandshakes(add, f.resyncAtOnce);
  }
  if (f.storm) add(`baseline: raw storm, ${int(f.storm.handshakes)} mTLS handshakes`, `${ms(f.storm.ms)}${cores(f.storm.serverCores, 'TLS server')}`);
  if (f.storm && f.resyncBackoff) add('full resync / raw storm (real backoff)', ratio(f.resyncBackoff.fromReadyMs / f.storm.ms), '<= 1.25x', status('resyncOverStorm'));
  if (f.storm && f.resyncAtOnce) add('resync at once / raw storm', ratio(f.resyncAtOnce.fromReleaseMs / f.storm.ms), '(no backoff)');
  if (f.failover) {
    const fo = f.failover;
    add(`failover setup: connect ${int(fo.edges)}, half to each of 2 cloudcores on etcd`, ms(fo.connectMs));
    add(`failover: SIGKILL 1 of 2 cloudcores, its ${int(fo.movedEdges)} edges back on the other`, ms(fo.fromKillMs), '<= 10 s at 1,000', status('failoverMs'));
    add('  welcomed by the survivor / moved', `${int(fo.onSurvivor)} of ${int(fo.movedEdges)}`);
    add('  load average at the kill', fo.loadAverageAtKill.toFixed(2));
    addHandshakes(add, fo);
  }
  const e = f.environment;
  return [
    `Outpost channel benchmark: ${int(n)} hollow edges in ${e.workers} processes, ${e.dialsInFlight} dials in flight at most (node ${e.node}, ${e.cpus} x ${e.cpuModel}, load ${e.loadAverageAtStart.toFixed(2)} at start)`,
    'Hollow edges share ONE key pair (only N certificates are signed); each still does its own mTLS handshake with its own certificate.',
    '',
    ...formatTable(rows),
  ];
}

/** The restarted cloud's own counts: TLS resumed / full, upgrades admitted / deferred (R46). */
function addHandshakes(add: (figure: string, measured: string) => void, c: HandshakeCounters): void {
  if (c.resumedSessions === undefined) return;
  add('  TLS sessions resumed / full handshakes', `${int(c.resumedSessions)} / ${int(c.fullHandshakes ?? 0)}`);
  add('  upgrades admitted / deferred (R46)', `${int(c.admitted ?? 0)} / ${int(c.deferred ?? 0)}`);
}

const lat = (l: LatencyFigures): string => `p50 ${ms(l.p50Ms)}  p99 ${ms(l.p99Ms)}  max ${ms(l.maxMs)} (${int(l.count)})`;
/** Channel phases run for seconds at scale: from 10 s on, seconds read better. */
const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(2)} s` : shortMs(v));
/** ", cloudcore 0.93 cores": near 1.0 means its one event loop was the limit. */
const cores = (value: number | undefined, who: string): string => (value === undefined ? '' : `, ${who} ${value.toFixed(2)} cores`);
