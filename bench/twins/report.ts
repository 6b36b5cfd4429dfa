import type { LatencySummary } from '../api/stats.js';
import { formatTable, int, mib, ms, rate, ratio, type ReportRow } from '../shared/report-format.js';
import type { MachineFacts } from '../shared/machine-facts.js';
import type { FloodFigures } from './flood-phase.js';
import type { Throughput } from './mqtt-figures.js';

/** Everything one run of `bench twins` measured; a figure left out was not measured (see errors). */
export interface TwinsFigures {
  environment: MachineFacts;
  plainRoundTrip: { embedded?: LatencySummary; mosquitto?: LatencySummary; edge?: LatencySummary };
  throughput: { embedded?: { qos0?: Throughput; qos1?: Throughput }; mosquitto?: { qos0?: Throughput; qos1?: Throughput } };
  flood?: FloodFigures;
  twinRoundTrip?: LatencySummary;
  cloudToDelta?: LatencySummary;
  edgeRss?: { devices: number; bytes: number };
  errors: Record<string, string>;
}

/** The targets of issue 13 (docs/mqtt-broker.md § Benchmark). */
export const TARGETS = {
  twinRoundTripP99Ms: 5,
  twinVsPlainP99: 2,
  cloudToDeltaP99Ms: 100,
  qos0VsMosquitto: 0.45,
  qos1VsMosquitto: 1,
} as const;

const NOT_MEASURED = 'not measured';

function verdict(met: boolean | undefined): string {
  return met === undefined ? '-' : met ? 'met' : 'MISSED';
}

function latencyRow(figure: string, summary: LatencySummary | undefined, goal: string, met?: boolean): ReportRow {
  return { figure, measured: summary === undefined ? NOT_MEASURED : `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)} (n=${int(summary.count)})`, goal, status: verdict(met) };
}

function throughputRow(figure: string, ours: Throughput | undefined, theirs: Throughput | undefined, target: number): ReportRow {
  const measured = ours === undefined ? NOT_MEASURED : `${rate(ours.perSecond)} (${int(ours.delivered)}/${int(ours.messages)} delivered)`;
  const share = ours !== undefined && theirs !== undefined ? ours.perSecond / theirs.perSecond : undefined;
  return { figure, measured: share === undefined ? measured : `${measured}, ${ratio(share)} mosquitto`, goal: `>= ${ratio(target)} mosquitto`, status: verdict(share === undefined ? undefined : share >= target) };
}

export function formatReport(f: TwinsFigures): string {
  const plain = f.plainRoundTrip;
  const twin = f.twinRoundTrip;
  // The baseline is the plain round trip through the same broker: the edge's, when measured.
  const baseline = plain.edge ?? plain.embedded;
  const twinVsPlain = twin !== undefined && baseline !== undefined ? twin.p99 / baseline.p99 : undefined;
  const rows: ReportRow[] = [
    latencyRow('plain publish->subscribe, embedded', plain.embedded, 'baseline'),
    latencyRow('plain publish->subscribe, mosquitto', plain.mosquitto, 'baseline'),
    latencyRow("plain publish->subscribe, edge's broker", plain.edge, 'baseline'),
    latencyRow('twin update -> result (mapper)', twin, `p99 <= ${TARGETS.twinRoundTripP99Ms} ms and <= ${TARGETS.twinVsPlainP99}x plain`, twin === undefined ? undefined : twin.p99 <= TARGETS.twinRoundTripP99Ms && twinVsPlain !== undefined && twinVsPlain <= TARGETS.twinVsPlainP99),
    { figure: `twin p99 / plain p99 (${plain.edge !== undefined ? "edge's broker" : 'embedded'})`, measured: twinVsPlain === undefined ? NOT_MEASURED : ratio(twinVsPlain), goal: `<= ${ratio(TARGETS.twinVsPlainP99)}`, status: verdict(twinVsPlain === undefined ? undefined : twinVsPlain <= TARGETS.twinVsPlainP99) },
    latencyRow('cloud desired change -> delta at mapper', f.cloudToDelta, `p99 <= ${TARGETS.cloudToDeltaP99Ms} ms`, f.cloudToDelta === undefined ? undefined : f.cloudToDelta.p99 <= TARGETS.cloudToDeltaP99Ms),
    throughputRow('QoS 0 messages/s, embedded', f.throughput.embedded?.qos0, f.throughput.mosquitto?.qos0, TARGETS.qos0VsMosquitto),
    { figure: 'QoS 0 messages/s, mosquitto', measured: f.throughput.mosquitto?.qos0 === undefined ? NOT_MEASURED : rate(f.throughput.mosquitto.qos0.perSecond), goal: 'baseline', status: '-' },
    throughputRow('QoS 1 messages/s, embedded', f.throughput.embedded?.qos1, f.throughput.mosquitto?.qos1, TARGETS.qos1VsMosquitto),
    { figure: 'QoS 1 messages/s, mosquitto', measured: f.throughput.mosquitto?.qos1 === undefined ? NOT_MEASURED : rate(f.throughput.mosquitto.qos1.perSecond), goal: 'baseline', status: '-' },
  ];
  if (f.flood !== undefined) {
    const fl = f.flood;
    rows.push({
      figure: `QoS 0 flood ${fl.seconds} s, embedded`,
      measured: `${fl.stillUp ? 'up' : 'DOWN'}; RSS ${mib(fl.rssBeforeBytes)} -> peak ${mib(fl.peakRssBytes)} -> ${mib(fl.rssAfterBytes)}; ${rate(fl.published / fl.seconds)} in, ${int(fl.receivedByReader)} read, ${int(fl.brokerCounters?.shed ?? Number.NaN)} shed`,
      goal: 'up, memory bounded',
      status: verdict(fl.stillUp),
    });
  } else {
    rows.push({ figure: 'QoS 0 flood, embedded', measured: NOT_MEASURED, goal: 'up, memory bounded', status: '-' });
  }
  rows.push({ figure: 'edge RSS, broker on, devices', measured: f.edgeRss === undefined ? NOT_MEASURED : `${mib(f.edgeRss.bytes)} with ${f.edgeRss.devices} devices`, goal: 'printed', status: '-' });
  const lines = [`twins benchmark on ${f.environment.cpus} CPUs (${f.environment.cpuModel}), node ${f.environment.node}`, ...formatTable(rows, 'met?')];
  for (const [phase, message] of Object.entries(f.errors)) lines.push(`error in ${phase}: ${message}`);
  return lines.join('\n');
}
