import { Etcd3, type IOptions } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutpostError, errorMessage } from '../../../shared/errors.js';
import { silentLogger, type Logger } from '../../../shared/logging.js';
import type { StoreWrite } from '../apply-write.js';
import type { KeyValue, ListOptions, ListResult, Store, StoreResult, WatchOptions } from '../types.js';
import { compactEtcd, findCompactedEtcdRevision, startEtcdAutoCompaction, type EtcdCompactionOptions } from './etcd-compaction.js';
import { EtcdFeed } from './etcd-feed.js';
import { startEtcdHealthProbe } from './etcd-health.js';
import { startHistoryWatch } from './etcd-history-watch.js';
import { etcdLayout } from './etcd-layout.js';
import { countKeys, getKey, listKeys, type ReadContext } from './etcd-reads.js';
import { etcdRevision, toStoreRevision } from './etcd-values.js';
import { EtcdPipelinedWrites } from './etcd-pipelined-writes.js';
import { EtcdWriteQueue } from './etcd-write-queue.js';
import { executeWrite, type WriteOutcome } from './etcd-writes.js';

export interface EtcdTls {
  /** PEM of the CA that signed etcd's serving certificates. */
  ca: Buffer;
  /** PEM client certificate and key, for etcd's --client-cert-auth. */
  cert?: Buffer;
  key?: Buffer;
}

export interface EtcdStoreOptions {
  /** Client URLs of the members: http://h:2379 or https://h:2379. */
  endpoints: string[];
  tls?: EtcdTls;
  /** Every key lives under this prefix (default /outpost), so one etcd can hold other data. */
  prefix?: string;
  logger?: Logger;
  /** Periodic compaction, coordinated between cloudcores; absent = none. */
  compaction?: EtcdCompactionOptions;
  /** Deadline of one etcd call (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * false (default): writes go one after the other in call order, as the Store contract
   * specifies. true: writes to different keys are in flight together, as kube-apiserver's
   * (docs/datastore.md § Pipelined writes).
   */
  pipelineWrites?: boolean;
}

/** The etcd Store, with the state of its connection for the `etcd` readiness check. */
export interface EtcdStore extends Store {
  /** False while etcd does not answer (the last background probe failed). */
  healthy(): boolean;
}

type Running = {
  phase: 'running';
  client: Etcd3;
  base: number;
  feed: EtcdFeed;
  stopped: AbortController;
  stopCompaction: () => Promise<void>;
  health: { healthy: () => boolean; stop: () => void };
};
type State = { phase: 'idle' } | Running | { phase: 'stopping' | 'stopped' };

/**
 * The Store on etcd (docs/datastore.md): store revisions are etcd revisions (shifted so a fresh
 * store starts at 0), writes are compare-and-swap transactions, reads are ranges at a revision,
 * and watchers are fed by one watch of the store's prefix, so writes of other cloudcores on the
 * same etcd reach them too.
 */
export function createEtcdStore(options: EtcdStoreOptions): EtcdStore {
  const logger = options.logger ?? silentLogger();
  const layout = etcdLayout(options.prefix);
  const deadlineMs = options.requestTimeoutMs ?? 10_000;
  const clientOptions: IOptions = {
    hosts: options.endpoints,
    dialTimeout: deadlineMs,
    // One object may be near the API's 3 MiB limit; lists page themselves (etcd-reads.ts).
    grpcOptions: { 'grpc.max_receive_message_length': -1 },
    ...(options.tls
      ? {
          credentials: {
            rootCertificate: options.tls.ca,
            ...(options.tls.key ? { privateKey: options.tls.key } : {}),
            ...(options.tls.cert ? { certChain: options.tls.cert } : {}),
          },
        }
      : {}),
  };
  let state: State = { phase: 'idle' };
  let current = 0;
  let compacted = 0;
  const sawRevision = (revision: number): void => {
    if (revision > current) current = revision;
  };
  const execute = (write: StoreWrite): Promise<WriteOutcome> =>
    executeWrite({ client: running().client, layout, base: running().base, revisionAtSend: current, deadlineMs }, write).then((outcome) => {
      sawRevision(outcome.headerRevision);
      return outcome;
    });
  const feedOf = (): EtcdFeed | undefined => (state.phase === 'running' ? state.feed : undefined);
  const queue = options.pipelineWrites ? new EtcdPipelinedWrites(execute, feedOf, logger) : new EtcdWriteQueue(execute, feedOf, logger);

  function running(): Running {
    if (state.phase === 'running') return state;
    throw new OutpostError('Unavailable', `etcd store is ${state.phase === 'idle' ? 'not started' : 'stopped'}`);
  }

  function reads(): ReadContext {
    const { client, base } = running();
    return { client, layout, base, deadlineMs, sawRevision };
  }

  async function enqueue(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    running();
    return queue.enqueue(write);
  }

  async function start(signal: AbortSignal): Promise<void> {
    if (state.phase === 'running') return;
    if (state.phase !== 'idle') throw new OutpostError('Unavailable', 'etcd store was stopped');
    const client = new Etcd3(clientOptions);
    try {
      const base = await openBase(client, signal);
      const etcdNow = base.etcdRevision;
      current = etcdNow - base.base;
      const fromKey = await client.kv.range({ key: Buffer.from(layout.compactKey, 'utf8') });
      const recorded = fromKey.kvs[0] ? etcdRevision(fromKey.kvs[0].value.toString('utf8')) : 0;
      const found = await findCompactedEtcdRevision(client, Buffer.from(layout.baseKey, 'utf8'), base.base, etcdNow);
      compacted = Math.max(0, Math.max(recorded, found) - base.base);
      const feed = new EtcdFeed(client, layout, base.base, {
        onRevision: sawRevision,
        onCompactKey: (text) => {
          const revision = toStoreRevision(base.base, text);
          if (revision > compacted) compacted = revision;
        },
      }, logger, current);
      await feed.start();
      const health = startEtcdHealthProbe(client, Buffer.from(layout.baseKey, 'utf8'), logger);
      const next: Running = { phase: 'running', client, base: base.base, feed, stopped: new AbortController(), stopCompaction: async () => undefined, health };
      state = next;
      if (options.compaction) {
        next.stopCompaction = startEtcdAutoCompaction(
          {
            client, layout, base: base.base, logger, clientOptions, endpoints: options.endpoints,
            currentRevision: () => current,
            compacted: (revision) => {
              if (revision > compacted) compacted = revision;
            },
          },
          options.compaction,
        );
      }
      logger.info({ endpoints: options.endpoints, prefix: layout.root, revision: current, compactedRevision: compacted }, 'etcd store started');
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /**
   * Reaches etcd (retrying, with a log line each time, until it answers or start is aborted) and
   * reads the base revision, writing the base key on first use.
   */
  async function openBase(client: Etcd3, signal: AbortSignal): Promise<{ base: number; etcdRevision: number }> {
    const key = Buffer.from(layout.baseKey, 'utf8');
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      try {
        const res = await client.kv.txn(
          {
            compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
            success: [{ request_put: { key, value: Buffer.from('', 'utf8') } }],
            failure: [{ request_range: { key } }],
          },
          { deadline: Date.now() + deadlineMs },
        );
        const etcdNow = etcdRevision(res.header.revision);
        const existing = res.responses[0]?.response_range?.kvs[0];
        return { base: existing ? etcdRevision(existing.create_revision) : etcdNow, etcdRevision: etcdNow };
      } catch (err) {
        const waitMs = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
        logger.warn({ endpoints: options.endpoints, attempt, retryInMs: waitMs, err: errorMessage(err) }, 'etcd is unreachable; retrying');
        await sleep(waitMs, undefined, { signal });
      }
    }
  }

  const store: EtcdStore = {
    name: 'etcd-store',
    start,
    healthy: () => state.phase === 'running' && state.health.healthy() && state.feed.alive,

    async stop(): Promise<void> {
      if (state.phase !== 'running') {
        if (state.phase !== 'stopping') state = { phase: 'stopped' };
        return;
      }
      const was = state;
      await queue.drain(); // writes accepted before stop are answered, not dropped
      state = { phase: 'stopping' };
      await was.stopCompaction();
      was.health.stop();
      was.stopped.abort();
      await was.feed.stop();
      was.client.close();
      state = { phase: 'stopped' };
    },

    currentRevision: () => current,
    compactedRevision: () => compacted,

    get: async (key, revision) => getKey(reads(), key, revision),
    list: async (prefix: string, listOptions: ListOptions = {}): Promise<StoreResult<ListResult>> => listKeys(reads(), prefix, listOptions),
    count: async (prefix) => countKeys(reads(), prefix),

    create: (key, value) => enqueue({ kind: 'create', key, value }),
    update: (key, value, expectedModRevision) => enqueue({ kind: 'update', key, value, expectedModRevision }),
    delete: (key, expectedModRevision) => enqueue({ kind: 'delete', key, expectedModRevision }),

    watch(prefix: string, watchOptions: WatchOptions): StoreResult<void> {
      const { client, base, feed, stopped } = running();
      const from = watchOptions.fromRevision;
      if (from < compacted) {
        return { ok: false, code: 'Compacted', message: `revision ${from} has been compacted (compacted revision ${compacted})` };
      }
      if (!feed.addWatcher(prefix, from, watchOptions.signal, watchOptions.onEvents)) {
        const signal = AbortSignal.any([watchOptions.signal, stopped.signal]);
        startHistoryWatch(client, layout, base, prefix, { ...watchOptions, signal }, logger);
      }
      return { ok: true, value: undefined };
    },

    async compact(revision: number): Promise<void> {
      const { client, base } = running();
      const target = Math.min(revision, current);
      if (target <= compacted) return;
      await compactEtcd(client, target + base);
      if (target > compacted) compacted = target;
      logger.debug({ revision: target }, 'etcd compacted');
    },
  };
  return store;
}
