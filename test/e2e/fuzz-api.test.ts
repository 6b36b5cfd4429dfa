import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUZZ_RSS_BYTES, runFuzz } from '../../bench/fuzz/index.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { expectCleanRun, FUZZ_TEST_CASES, fuzzTargetOf, fuzzTestSeed } from '../helpers/fuzz-e2e.js';

/**
 * Mutated API bodies against a real cloudcore (docs/limits.md § Fuzzing): create, update, JSON,
 * merge and strategic merge patches and server-side apply on Pods, ConfigMaps, Secrets,
 * Deployments and a custom resource, as JSON, YAML and protobuf, 12 in flight. The process stays
 * up, /healthz answers, RSS stays under 512 MiB, no answer is a 5xx or shows internals, and the
 * control namespace is byte-for-byte unchanged.
 */
let cloud: CloudProcess;
beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud?.stop('SIGKILL');
});

describe('fuzz: API bodies', () => {
  it(`answers ${FUZZ_TEST_CASES} mutated create/update/patch/apply bodies with 2xx or a clean 4xx, and stays up and bounded`, async () => {
    const seed = fuzzTestSeed('fuzz-api.test.ts');
    const report = await runFuzz(fuzzTargetOf(cloud), 'api', { seed, cases: FUZZ_TEST_CASES, maxRssBytes: MAX_FUZZ_RSS_BYTES, parallel: 12 });
    expectCleanRun(report, FUZZ_TEST_CASES, cloud);
    expect(report.statuses['2xx'] ?? 0).toBeGreaterThan(0);
    expect(report.statuses['4xx'] ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
