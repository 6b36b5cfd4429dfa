import { performance } from 'node:perf_hooks';
import { Etcd3 } from 'etcd3';
import { createEtcdStore } from '../../cloudcore/storage/etcd/index.js';
import { storedPodValue } from './sqlite-baseline.js';

export interface EtcdBaselineFigures {
  /** Puts with one in flight. */
  singlePutsPerSecond: number;
  singlePuts: number;
  /** Puts with `concurrency` in flight: the ceiling API creates on etcd are held to. */
  concurrentPutsPerSecond: number;
  concurrentPuts: number;
  concurrency: number;
  valueBytes: number;
  /**
   * Store.create at `concurrency` in flight on the same etcd, through cloudcore's etcd Store in
   * this process: what the API's create path gets from its store, without HTTP and JSON.
   */
  storeCreatesPerSecond: number;
  /**
   * Create-if-absent transactions (compare create revision = 0, then put), as the Store sends
   * them, at `concurrency` in flight: what a store that pipelined its writes could reach.
   */
  txnCreatesPerSecond: number;
  storeCreates: number;
}

/** Keys of the baseline, removed again afterwards so the cloud starts on an empty keyspace. */
const BASELINE_PREFIX = '/outpost-bench-baseline/';
/** The Store measurement's own etcd prefix, apart from the cloud's (/outpost). */
const STORE_PREFIX = '/outpost-bench-store';
const WARMUP_PUTS = 50;

/**
 * The ceiling the API is measured against on etcd: raw puts of a pod-sized value, as the server
 * stores it, through the etcd3 client the store uses, on the same etcd member, in the same run.
 * Once with one put in flight and once with `concurrency` in flight (a closed loop, as the API's
 * create scenario). Values are built before the clock starts: this measures etcd and its client.
 */
export async function runEtcdBaseline(opts: { clientUrl: string; singlePuts: number; concurrentPuts: number; concurrency: number; writeOrder: 'call' | 'key' }): Promise<EtcdBaselineFigures> {
  const client = new Etcd3({ hosts: opts.clientUrl });
  try {
    const total = WARMUP_PUTS + opts.singlePuts + opts.concurrentPuts;
    const keys = Array.from({ length: total }, (_, i) => `${BASELINE_PREFIX}pods/baseline/pod-${i + 1}`);
    const values = keys.map((key, i) => storedPodValue(key, i + 1));
    let next = 0;
    const putRange = async (count: number, concurrency: number): Promise<number> => {
      const end = next + count;
      const worker = async (): Promise<void> => {
        while (next < end) {
          const i = next++;
          await client.put(keys[i] ?? '').value(values[i] ?? '');
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
      return performance.now() - started;
    };
    await putRange(WARMUP_PUTS, opts.concurrency);
    const singleMs = await putRange(opts.singlePuts, 1);
    const concurrentMs = await putRange(opts.concurrentPuts, opts.concurrency);
    const txnMs = await txnCreates(client, keys.slice(0, opts.concurrentPuts).map((k) => `${k}-txn`), values, opts.concurrency);
    await client.delete().prefix(BASELINE_PREFIX);
    const storeMs = await storeCreates(opts.clientUrl, keys.slice(0, opts.concurrentPuts), values, opts.concurrency, opts.writeOrder === 'key');
    await client.delete().prefix(STORE_PREFIX);
    return {
      storeCreatesPerSecond: opts.concurrentPuts / (storeMs / 1000),
      storeCreates: opts.concurrentPuts,
      txnCreatesPerSecond: opts.concurrentPuts / (txnMs / 1000),
      singlePutsPerSecond: opts.singlePuts / (singleMs / 1000),
      singlePuts: opts.singlePuts,
      concurrentPutsPerSecond: opts.concurrentPuts / (concurrentMs / 1000),
      concurrentPuts: opts.concurrentPuts,
      concurrency: opts.concurrency,
      valueBytes: Buffer.byteLength(values[0] ?? ''),
    };
  } finally {
    client.close();
  }
}

/** Creates every key through the etcd Store with `concurrency` in flight; the elapsed ms. */
async function storeCreates(clientUrl: string, keys: readonly string[], values: readonly string[], concurrency: number, pipelineWrites: boolean): Promise<number> {
  const store = createEtcdStore({ endpoints: [clientUrl], prefix: STORE_PREFIX, pipelineWrites });
  await store.start(AbortSignal.timeout(30_000));
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const i = next++;
        const created = await store.create(keys[i] ?? '', values[i] ?? '');
        if (!created.ok) throw new Error(`store create ${keys[i] ?? ''}: ${created.message}`);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
    return performance.now() - started;
  } finally {
    await store.stop();
  }
}

async function txnCreates(client: Etcd3, keys: readonly string[], values: readonly string[], concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const i = next++;
      const key = Buffer.from(keys[i] ?? '', 'utf8');
      await client.kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(values[i] ?? '', 'utf8') } }],
        failure: [{ request_range: { key } }],
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
  return performance.now() - started;
}
