import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFailed } from 'vitest';
import { describeFinding, fuzzSeed, type FuzzReport, type FuzzTarget } from '../../bench/fuzz/index.js';
import { readKubeconfig } from './api-client.js';
import type { CloudProcess } from './cloud-process.js';

/**
 * What the fuzz e2e files share (docs/limits.md § Fuzzing): the target a real cloudcore offers,
 * the run's seed (printed, and named again on failure with the command that replays it), the
 * number of cases, and the assertions every run ends with.
 */

/** Cases per file in `npm test`; FUZZ_CASES overrides it (the benchmark runs 100,000). */
export const FUZZ_TEST_CASES = Number(process.env.FUZZ_CASES ?? 3000);

export function fuzzTargetOf(cloud: CloudProcess): FuzzTarget {
  const endpoints = JSON.parse(readFileSync(join(cloud.dataDir, 'cloud', 'endpoints.json'), 'utf8')) as { hub?: string };
  if (endpoints.hub === undefined) throw new Error('cloudcore endpoints.json has no hub address');
  if (cloud.child.pid === undefined) throw new Error('cloudcore has no pid');
  return { pid: cloud.child.pid, dataDir: cloud.dataDir, api: readKubeconfig(cloud.kubeconfig), hubUrl: endpoints.hub };
}

/** FUZZ_SEED or a random seed, printed now and again on failure. */
export function fuzzTestSeed(file: string): number {
  const seed = fuzzSeed();
  const replay = `FUZZ_SEED=${seed} npx vitest run test/e2e/${file}`;
  console.log(`${file}: fuzz seed ${seed} (replay: ${replay})`);
  onTestFailed(() => console.error(`${file}: fuzz seed ${seed}; replay: ${replay}`));
  return seed;
}

/**
 * Every run ends the same way: all cases ran, no finding (no crash, 5xx, hang, leak, unhealthy
 * /healthz, memory over the bound, disturbed session or changed control object), and the
 * cases reached past the first checks (some accepted, some refused).
 */
export function expectCleanRun(report: FuzzReport, cases: number, cloud: CloudProcess): void {
  const lines = report.findings.slice(0, 30).map((f) => describeFinding(report, f));
  expect(lines, `fuzz findings (seed ${report.seed}); cloudcore's output ends:\n${cloud.output().slice(-3000)}`).toEqual([]);
  expect(report.cases).toBe(cases);
  expect(report.controlDifferences).toEqual([]);
  expect(report.peakRssBytes).toBeGreaterThan(0);
  expect(report.peakRssBytes).toBeLessThan(report.maxRssBytes);
  expect(cloud.child.exitCode).toBeNull();
  expect(cloud.child.signalCode).toBeNull();
  console.log(`${report.interface}: ${report.cases} cases in ${(report.elapsedMs / 1000).toFixed(1)} s, peak RSS ${(report.peakRssBytes / 2 ** 20).toFixed(1)} MiB, ${JSON.stringify(report.statuses)}`);
}
