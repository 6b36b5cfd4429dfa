import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FUZZ_RSS_BYTES, runFuzz } from '../../bench/fuzz/index.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { expectCleanRun, FUZZ_TEST_CASES, fuzzTargetOf, fuzzTestSeed } from '../helpers/fuzz-e2e.js';

/**
 * Mutated and random websocket frames from an authenticated node (a certificate from the
 * cloud's own CA, as a join gives) against a real cloudcore (docs/limits.md § Fuzzing, protocol.md
 * R33–R38). The fuzzing node may be disconnected (R34); it reconnects and goes on. After every
 * 100 frames a valid probe on its session must be answered, and a second, well-behaved node must
 * stay connected, receive a new pod and have that pod's status acked.
 */
let cloud: CloudProcess;
beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud?.stop('SIGKILL');
});

describe('fuzz: channel frames', () => {
  it(`survives ${FUZZ_TEST_CASES} mutated frames of every content kind while another node's session keeps syncing`, async () => {
    const seed = fuzzTestSeed('fuzz-channel.test.ts');
    const report = await runFuzz(fuzzTargetOf(cloud), 'channel', { seed, cases: FUZZ_TEST_CASES, maxRssBytes: MAX_FUZZ_RSS_BYTES, checkEvery: 100 });
    expectCleanRun(report, FUZZ_TEST_CASES, cloud);
    // The well-behaved node got a pod and an ack after every batch: that it had no finding says so.
    // The cloud closed the fuzzing node's session (R34's budget, R33's one inventory) and it came back.
    expect(Object.keys(report.statuses).some((k) => k.startsWith('closed '))).toBe(true);
    expect(report.reconnects ?? 0).toBeGreaterThan(1);
    expect(Object.keys(report.statuses).some((k) => k.startsWith('result '))).toBe(true);
  }, 240_000);
});
