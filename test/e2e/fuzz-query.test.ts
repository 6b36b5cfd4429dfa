import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUZZ_RSS_BYTES, runFuzz } from '../../bench/fuzz/index.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { expectCleanRun, FUZZ_TEST_CASES, fuzzTargetOf, fuzzTestSeed } from '../helpers/fuzz-e2e.js';

/**
 * Random paths, methods and query strings against a real cloudcore (docs/limits.md § Fuzzing):
 * list, watch, get, delete, patch and more with labelSelector, fieldSelector, limit, continue,
 * resourceVersion, timeoutSeconds, dryRun, fieldManager, propagationPolicy and others, at and
 * past their edges, 12 in flight. Watches and follows are cut after their headers. Writes go to
 * the fuzz namespace only; the control namespace must be byte-for-byte unchanged.
 */
let cloud: CloudProcess;
beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud?.stop('SIGKILL');
});

describe('fuzz: paths and query strings', () => {
  it(`answers ${FUZZ_TEST_CASES} random requests without a 5xx, a hang or a leak, and stays up and bounded`, async () => {
    const seed = fuzzTestSeed('fuzz-query.test.ts');
    const report = await runFuzz(fuzzTargetOf(cloud), 'query', { seed, cases: FUZZ_TEST_CASES, maxRssBytes: MAX_FUZZ_RSS_BYTES, parallel: 12 });
    expectCleanRun(report, FUZZ_TEST_CASES, cloud);
    expect(report.statuses['2xx'] ?? 0).toBeGreaterThan(0);
    expect(report.statuses['4xx'] ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
