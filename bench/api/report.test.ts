import { describe, expect, it } from 'vitest';
import type { CreateFigures } from './create-scenario.js';
import type { EtcdBaselineFigures } from './etcd-baseline.js';
import { evaluateGoals, formatReport, type ApiBenchmarkFigures } from './report.js';

const environment: ApiBenchmarkFigures['environment'] = { node: 'v20', cpus: 2, cpuModel: 'test', platform: 'linux/x64', loadAverageAtStart: 0, store: 'etcd' };
const cpu = { wallMs: 1000, cloudCores: 0.5, clientCores: 0.2 };
const etcd: EtcdBaselineFigures = {
  singlePutsPerSecond: 500, singlePuts: 1000, concurrentPutsPerSecond: 2000, concurrentPuts: 5000, concurrency: 32, valueBytes: 619,
  storeCreatesPerSecond: 600, storeCreates: 5000, txnCreatesPerSecond: 1900,
};
function createsAt(perSecond: number): CreateFigures {
  return { concurrency: 32, count: 5000, p50Ms: 10, p99Ms: 30, maxMs: 40, createsPerSecond: perSecond, failures: 0, cpu };
}

describe('the API report on etcd', () => {
  it('holds API creates/s at c=32 to 0.8x raw etcd puts/s at c=32, measured in the same run', () => {
    expect(evaluateGoals({ environment, etcd, createC32: createsAt(1700) })).toContainEqual({ name: 'etcdCreateShareC32', measured: 0.85, met: true });
    expect(evaluateGoals({ environment, etcd, createC32: createsAt(500) })).toContainEqual({ name: 'etcdCreateShareC32', measured: 0.25, met: false });
    expect(evaluateGoals({ environment, etcd }).map((g) => g.name)).not.toContain('etcdCreateShareC32');
  });

  it('prints the raw etcd rates beside the API and says the share', () => {
    const text = formatReport({ environment, etcd, createC32: createsAt(500) }).join('\n');
    expect(text).toContain('raw etcd put, c=32 (etcd3 client)');
    expect(text).toContain('raw etcd create txn, c=32');
    expect(text).toContain('etcd Store.create, c=32 (in-process)');
    expect(text).toMatch(/API c=32 vs raw put c=32 +25\.0% +>= 80\.0% +NOT MET/);
    expect(text).toContain('Outpost API benchmark, etcd store');
  });
});
