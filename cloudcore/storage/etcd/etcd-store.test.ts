import { Etcd3 } from 'etcd3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCa, issueCertificate } from '../../../certs/index.js';
import { silentLogger } from '../../../shared/logging.js';
import { startEtcd, type EtcdCluster } from '../../../test/helpers/etcd.js';
import type { WatchEvent } from '../types.js';
import { parseDatastoreEndpoint } from './datastore-endpoint.js';
import { claimWindow } from './etcd-compaction.js';
import { dataKey, etcdLayout } from './etcd-layout.js';
import { executeWrite } from './etcd-writes.js';
import { createEtcdStore, type EtcdStore } from './etcd-store.js';

// What only etcd has: two stores (two cloudcores) on the same prefix, coordinated compaction,
// the readiness probe. The Store semantics themselves are the contract suite's.
let etcd: EtcdCluster;
let counter = 0;
const stores: EtcdStore[] = [];
beforeAll(async () => {
  etcd = await startEtcd({ members: 1 });
});
afterAll(async () => {
  for (const store of stores) await store.stop();
  await etcd.stop();
});

async function started(prefix: string, compaction?: { intervalMs: number; keepRevisions: number }, pipelineWrites = false): Promise<EtcdStore> {
  const store = createEtcdStore({ endpoints: etcd.endpoints.split(','), prefix, logger: silentLogger(), pipelineWrites, ...(compaction ? { compaction } : {}) });
  stores.push(store);
  await store.start(new AbortController().signal);
  return store;
}

describe('etcd store', () => {
  it('shares one prefix between two stores: writes, revisions and watch events of one reach the other', async () => {
    const prefix = `/shared-${++counter}`;
    const first = await started(prefix);
    const second = await started(prefix);
    const events: WatchEvent[] = [];
    expect(second.watch('/k/', { fromRevision: second.currentRevision(), signal: new AbortController().signal, onEvents: (batch) => events.push(...batch) }).ok).toBe(true);
    const created = await first.create('/k/a', 'one');
    if (!created.ok) throw new Error(created.message);
    await vi.waitFor(() => expect(events.map((e) => [e.type, e.kv.key, e.revision])).toEqual([['create', '/k/a', created.value.modRevision]]));
    expect(second.currentRevision()).toBeGreaterThanOrEqual(created.value.modRevision);
    const listed = await second.list('/k/');
    expect(listed.ok && listed.value.items.map((kv) => kv.value)).toEqual(['one']);
    // The other's write is a conflict for a stale update here, as on one store.
    const stale = await second.update('/k/a', 'two', created.value.modRevision - 1);
    expect(stale.ok ? 'ok' : stale.code).toBe('Conflict');
    // A store started later on the same prefix counts from the same base.
    const third = await started(prefix);
    expect(third.currentRevision()).toBe(first.currentRevision());
  });

  it('replays a watch from before this process started from etcd history, then goes on live', async () => {
    const prefix = `/history-${++counter}`;
    const writer = await started(prefix);
    for (let i = 1; i <= 5; i++) expect((await writer.create(`/h/${i}`, String(i))).ok).toBe(true);
    expect((await writer.update('/h/1', 'changed', 1)).ok).toBe(true); // 6
    expect((await writer.delete('/h/2')).ok).toBe(true); // 7
    const late = await started(prefix); // its in-memory log starts at 7
    const events: WatchEvent[] = [];
    const calls: number[] = [];
    expect(late.watch('/h/', { fromRevision: 2, signal: new AbortController().signal, onEvents: (batch) => {
      calls.push(batch.length);
      events.push(...batch);
    } }).ok).toBe(true);
    await vi.waitFor(() => expect(events.map((e) => e.revision)).toEqual([3, 4, 5, 6, 7]));
    expect(events[3]).toMatchObject({ type: 'update', kv: { key: '/h/1', value: 'changed', createRevision: 1, modRevision: 6 }, prevKv: { value: '1' } });
    expect(events[4]).toMatchObject({ type: 'delete', kv: { key: '/h/2', value: '2', createRevision: 2, modRevision: 7 } });
    expect((await writer.create('/h/8', '8')).ok).toBe(true);
    await vi.waitFor(() => expect(events.map((e) => e.revision)).toEqual([3, 4, 5, 6, 7, 8]));
    expect(calls.length).toBeGreaterThanOrEqual(1);
  });

  it('lists more than grpc-js takes in one answer (4 MiB) in smaller pages, as one snapshot', async () => {
    const store = await started(`/big-${++counter}`);
    const big = 'x'.repeat(60 * 1024); // 80 of them: 4.8 MB, more than one page
    const keys = Array.from({ length: 80 }, (_, i) => `/b/${String(i).padStart(2, '0')}`);
    for (const key of keys) expect((await store.create(key, big + key)).ok).toBe(true);
    const listed = await store.list('/b/');
    if (!listed.ok) throw new Error(listed.message);
    expect(listed.value.items.map((kv) => kv.key)).toEqual(keys);
    expect(listed.value.items.every((kv) => kv.value === big + kv.key)).toBe(true);
    expect(listed.value.revision).toBe(80);
    expect(listed.value.more).toBe(false);
  });

  it('pipelined: keeps call order per key, gives every write its own revision, and watchers see them in order', async () => {
    const store = await started(`/pipe-${++counter}`, undefined, true);
    const events: WatchEvent[] = [];
    store.watch('/p/', { fromRevision: 0, signal: new AbortController().signal, onEvents: (batch) => events.push(...batch) });
    const keys = Array.from({ length: 100 }, (_, i) => `/p/${String(i).padStart(3, '0')}`);
    const results = await Promise.all([
      ...keys.map((key) => store.create(key, key)),
      store.create('/p/042', 'duplicate'), // after the create of the same key: refused
      store.delete('/p/007'), // after its create: done
      store.create('/p/007', 'again'), // after that delete: a new life
      store.update('/p/008', 'wrong', 999),
    ]);
    expect(results.slice(100).map((r) => (r.ok ? 'ok' : r.code))).toEqual(['AlreadyExists', 'ok', 'ok', 'Conflict']);
    const revisions = results.flatMap((r) => (r.ok ? [r.value.modRevision] : []));
    expect(new Set(revisions).size).toBe(102);
    expect(Math.max(...revisions)).toBe(102);
    const again = results[102];
    const deleted = results[101];
    if (!again?.ok || !deleted?.ok) throw new Error('expected the delete and the create again to succeed');
    expect(again.value.modRevision).toBeGreaterThan(deleted.value.modRevision);
    await vi.waitFor(() => expect(events).toHaveLength(102));
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    expect(await store.count('/p/')).toBe(100);
    await store.stop();
  });

  it('waits for an unreachable etcd at start, saying so in the log, and starts once it answers', async () => {
    const lonely = await startEtcd({ members: 1 });
    try {
      const member = lonely.members[0];
      if (member === undefined) throw new Error('no member');
      await member.kill('SIGKILL');
      const lines: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
      const store = createEtcdStore({ endpoints: [member.clientUrl], prefix: '/late', logger, requestTimeoutMs: 500 });
      const starting = store.start(new AbortController().signal);
      await vi.waitFor(() => expect(lines.join('')).toContain('etcd is unreachable; retrying'), { timeout: 20_000 });
      expect(lines.join('')).toContain(member.clientUrl);
      await member.restart();
      await starting;
      expect((await store.create('/a', 'x')).ok).toBe(true);
      await store.stop();
    } finally {
      await lonely.stop();
    }
  });

  it('talks to etcd over mutual TLS (--datastore-cafile, -certfile, -keyfile)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-etcd-tls-'));
    const ca = await createCa();
    const issue = async (name: string, usages: 'server' | 'client') => {
      const issued = await issueCertificate({ ca, subject: { commonName: name }, usages, ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], lifetimeDays: 1 });
      if (!issued.ok) throw new Error(issued.message);
      writeFileSync(join(dir, `${name}.crt`), issued.value.certPem);
      writeFileSync(join(dir, `${name}.key`), issued.value.keyPem, { mode: 0o600 });
    };
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    await issue('etcd', 'server');
    await issue('cloudcore', 'client');
    const secure = await startEtcd({
      tls: {
        certFile: join(dir, 'etcd.crt'), keyFile: join(dir, 'etcd.key'), caFile: join(dir, 'ca.crt'),
        clientCertFile: join(dir, 'cloudcore.crt'), clientKeyFile: join(dir, 'cloudcore.key'),
      },
    });
    try {
      const parsed = parseDatastoreEndpoint(secure.datastoreEndpoint, true);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.endpoints[0]).toMatch(/^https:\/\/127\.0\.0\.1:/);
      const store = createEtcdStore({
        endpoints: parsed.endpoints,
        prefix: '/tls',
        tls: { ca: Buffer.from(ca.certPem), cert: Buffer.from(readPem(dir, 'cloudcore.crt')), key: Buffer.from(readPem(dir, 'cloudcore.key')) },
      });
      await store.start(new AbortController().signal);
      const created = await store.create('/a', 'over tls');
      expect(created.ok && created.value.modRevision).toBe(1);
      const read = await store.get('/a');
      expect(read.ok && read.value?.value).toBe('over tls');
      await store.stop();
    } finally {
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a retried transaction whose first attempt committed as done, and a real conflict as Conflict', async () => {
    const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
    try {
      const layout = etcdLayout(`/retry-${++counter}`);
      const base = Number((await client.kv.range({ key: Buffer.from('x') })).header.revision);
      const ctx = { client, layout, base, revisionAtSend: 0, deadlineMs: 5_000 };
      // The first attempt committed (its answer was lost): the retry finds our value, written after we sent.
      await client.kv.put({ key: dataKey(layout, '/a'), value: Buffer.from('mine') });
      const retried = await executeWrite(ctx, { kind: 'create', key: '/a', value: 'mine' });
      expect(retried.result).toMatchObject({ ok: true, value: { key: '/a', value: 'mine' } });
      // Somebody else's value, or one that was there before we sent, is a real refusal.
      const other = await executeWrite(ctx, { kind: 'create', key: '/a', value: 'theirs' });
      expect(other.result.ok ? 'ok' : other.result.code).toBe('AlreadyExists');
      const before = await executeWrite({ ...ctx, revisionAtSend: retried.headerRevision }, { kind: 'create', key: '/a', value: 'mine' });
      expect(before.result.ok ? 'ok' : before.result.code).toBe('AlreadyExists');
      const stale = await executeWrite(ctx, { kind: 'update', key: '/a', value: 'new', expectedModRevision: 0 });
      expect(stale.result.ok ? 'ok' : stale.result.code).toBe('Conflict');
    } finally {
      client.close();
    }
  });

  it('lets only one of two cloudcores claim a compaction window', async () => {
    const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
    try {
      const layout = etcdLayout(`/claim-${++counter}`);
      const ctx = { client, layout, base: 0, logger: silentLogger(), clientOptions: { hosts: [] }, endpoints: [], currentRevision: () => 0, compacted: () => undefined };
      const target = Number((await client.kv.range({ key: Buffer.from('x') })).header.revision);
      const claims = await Promise.all([claimWindow(ctx, target), claimWindow(ctx, target)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await claimWindow(ctx, target)).toBe(false); // that window is taken
    } finally {
      client.close();
    }
  });

  it('compacts by itself, keeping the newest revisions, and learns the compacted revision at start', async () => {
    const prefix = `/auto-${++counter}`;
    const store = await started(prefix, { intervalMs: 50, keepRevisions: 2 });
    for (let i = 0; i < 6; i++) {
      const res = await store.create(`/c/${i}`, String(i));
      expect(res.ok).toBe(true);
    }
    await vi.waitFor(() => expect(store.compactedRevision()).toBeGreaterThanOrEqual(4), { timeout: 5_000 });
    const old = await store.get('/c/0', 1);
    expect(old.ok ? 'ok' : old.code).toBe('Compacted');
    expect(store.healthy()).toBe(true);
    await store.stop();
    expect(store.healthy()).toBe(false);
    const again = await started(prefix);
    expect(again.compactedRevision()).toBe(store.compactedRevision());
  });
});

function readPem(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}
