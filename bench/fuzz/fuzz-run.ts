import { apiWriteCase } from './api-bodies.js';
import { runChannelCampaign } from './channel-campaign.js';
import { controlSnapshot, prepareFixture, resetFuzzNamespace, snapshotDifferences, tameDeployments } from './fixture.js';
import { GoodNode, SYNC_NAMESPACE } from './good-node.js';
import { runHttpCampaign } from './http-campaign.js';
import { HttpSender, type ApiCredentials } from './http-sender.js';
import { nodeTls } from './node-credentials.js';
import { Prng } from './prng.js';
import { queryCase } from './queries.js';
import type { Finding } from './verdict.js';
import { Watchdog } from './watchdog.js';

/**
 * One fuzz run of one interface against a running cloudcore (docs/limits.md § Fuzzing): set up
 * the fixture, snapshot the control set, run the cases with the watchdog, check once more, and
 * compare the control set. What the tests assert and the benchmark prints.
 */
export type FuzzInterface = 'channel' | 'api' | 'query';
export const FUZZ_INTERFACES: readonly FuzzInterface[] = ['channel', 'api', 'query'];

/** cloudcore's resident memory bound during a fuzz run (docs/limits.md § Fuzzing). */
export const MAX_FUZZ_RSS_BYTES = 512 * 1024 * 1024;
/** No answer (HTTP headers, a probe's result) within this long is a hang. */
export const FUZZ_TIMEOUT_MS = 30_000;

export interface FuzzTarget {
  /** cloudcore's pid: the watchdog reads its /proc entry and signals 0 to it. */
  pid: number;
  /** cloudcore's --data-dir (its cluster CA signs the fuzzing nodes' certificates). */
  dataDir: string;
  api: ApiCredentials;
  hubUrl: string;
}

export interface FuzzRunOptions {
  seed: number;
  cases: number;
  parallel?: number;
  checkEvery?: number;
  maxRssBytes?: number;
  onProgress?(done: number, findings: number): void;
  signal?: AbortSignal;
}

export interface FuzzReport {
  interface: FuzzInterface;
  seed: number;
  cases: number;
  elapsedMs: number;
  findings: Finding[];
  /** Answers by class (HTTP) or frames by mutation style (channel). */
  statuses: Record<string, number>;
  peakRssBytes: number;
  maxRssBytes: number;
  /** Control objects whose bytes changed (each is also a finding). */
  controlDifferences: string[];
  reconnects?: number;
}

const FUZZ_NODE = 'fuzz-node';
/** Cases between two resets of the api run's namespace (docs/limits.md § Fuzzing). */
const RESET_EVERY = 2500;
const GOOD_NODE = 'good-node';

export async function runFuzz(target: FuzzTarget, which: FuzzInterface, o: FuzzRunOptions): Promise<FuzzReport> {
  const parallel = o.parallel ?? 12;
  const maxRssBytes = o.maxRssBytes ?? MAX_FUZZ_RSS_BYTES;
  const sender = new HttpSender(target.api, parallel, FUZZ_TIMEOUT_MS);
  const admin = new HttpSender(target.api, 2, FUZZ_TIMEOUT_MS);
  const watchdog = new Watchdog(target.pid, admin, maxRssBytes);
  let good: GoodNode | undefined;
  try {
    await prepareFixture(admin, which === 'channel' ? { podNode: FUZZ_NODE } : {});
    const before = await controlSnapshot(admin);
    watchdog.start();
    const root = new Prng(o.seed);
    const common = { root, cases: o.cases, watchdog, ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.signal ? { signal: o.signal } : {}) };
    let result: Awaited<ReturnType<typeof runHttpCampaign>> & { reconnects?: number };
    if (which === 'channel') {
      await admin.send({ method: 'POST', path: '/api/v1/namespaces', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYNC_NAMESPACE } })), label: 'sync namespace' });
      good = await GoodNode.start(target.hubUrl, await nodeTls(target.dataDir, GOOD_NODE), GOOD_NODE, FUZZ_TIMEOUT_MS);
      const tls = await nodeTls(target.dataDir, FUZZ_NODE);
      result = await runChannelCampaign({ ...common, hubUrl: target.hubUrl, tls, nodeName: FUZZ_NODE, good, admin, checkEvery: o.checkEvery ?? 100, timeoutMs: FUZZ_TIMEOUT_MS });
    } else {
      const checkEvery = o.checkEvery ?? 200;
      // The api run creates objects: it starts over in the fuzz namespace every RESET_EVERY cases.
      const between = async (done: number): Promise<void> => {
        if (which !== 'api') return;
        await tameDeployments(admin);
        if (done % RESET_EVERY < checkEvery) await resetFuzzNamespace(admin);
      };
      result = await runHttpCampaign({ ...common, parallel, sender, checkEvery, between, makeCase: which === 'api' ? (prng, i) => apiWriteCase(prng, i) : (prng) => queryCase(prng) });
    }
    const findings = [...result.findings];
    const crashed = findings.some((f) => f.kind === 'crash');
    if (!crashed) findings.push(...(await watchdog.check(result.cases - 1)));
    const controlDifferences = crashed ? [] : snapshotDifferences(before, await controlSnapshot(admin));
    for (const difference of controlDifferences) findings.push({ kind: 'controlChanged', caseIndex: -1, detail: difference });
    return {
      interface: which, seed: o.seed, cases: result.cases, elapsedMs: result.elapsedMs, findings, statuses: result.statuses,
      peakRssBytes: watchdog.peakRssBytes, maxRssBytes, controlDifferences, ...(result.reconnects !== undefined ? { reconnects: result.reconnects } : {}),
    };
  } finally {
    watchdog.stop();
    good?.close();
    sender.close();
    admin.close();
  }
}

/** A finding as one line that says how to replay it. */
export function describeFinding(report: Pick<FuzzReport, 'interface' | 'seed'>, f: Finding): string {
  const where = f.caseIndex >= 0 ? `case ${f.caseIndex}` : 'after the run';
  return `[${report.interface} seed ${report.seed} ${where}] ${f.kind}: ${f.detail} (replay: FUZZ_SEED=${report.seed})`;
}
