import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCa } from '../../certs/index.js';
import { createMemoryStore } from '../storage/index.js';
import type { Store } from '../storage/index.js';
import { freshServiceAccountKeyPem } from './legacy-pki.js';
import { IDENTITY_KEY, WRONG_SECRET_MESSAGE } from './identity-record.js';
import { loadClusterIdentity, readClusterIdentity } from './load-identity.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function startedStore(): Promise<Store> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  stores.push(store);
  return store;
}

/**
 * The store as two cloudcores starting at once see it: each first read waits until both have
 * read, so both find the datastore empty and both try to create.
 */
function bothReadFirst(store: Store): Store {
  let waiting: Array<() => void> = [];
  let reads = 0;
  return {
    ...store,
    async get(key, revision) {
      reads += 1;
      if (reads <= 2) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            for (const release of waiting) release();
            waiting = [];
          }
        });
      }
      return store.get(key, revision);
    },
  };
}

/** One cloudcore's data folder: its pki/ and where its cluster-secret goes. */
async function cloudDir(): Promise<{ pkiDir: string; localFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'outpost-identity-'));
  dirs.push(dir);
  return { pkiDir: dir, localFile: join(dir, 'cluster-secret') };
}

const noEnv = {};

describe('the cluster identity in the datastore', () => {
  it('is made by the first cloudcore with a new secret written 0600, and read back by a restart', async () => {
    const store = await startedStore();
    const dir = await cloudDir();
    const first = await loadClusterIdentity(store, { ...dir, env: noEnv });
    if (!first.ok) throw new Error(first.message);
    expect(first.value).toMatchObject({ outcome: 'created', secretGenerated: true, secretWritten: true });
    expect(first.value.ticketKeys.length).toBe(48);
    expect((await stat(dir.localFile)).mode & 0o777).toBe(0o600);
    const again = await loadClusterIdentity(store, { ...dir, env: noEnv });
    if (!again.ok) throw new Error(again.message);
    expect(again.value.outcome).toBe('loaded');
    expect(again.value.ca.certPem).toBe(first.value.ca.certPem);
    expect(again.value.serviceAccountKey.keyId).toBe(first.value.serviceAccountKey.keyId);
    expect(again.value.ticketKeys.equals(first.value.ticketKeys)).toBe(true);
  });

  it('keeps private keys sealed in the store', async () => {
    const store = await startedStore();
    const loaded = await loadClusterIdentity(store, { ...(await cloudDir()), env: noEnv });
    if (!loaded.ok) throw new Error(loaded.message);
    const stored = await store.get(IDENTITY_KEY);
    const text = stored.ok ? (stored.value?.value ?? '') : '';
    expect(text).toContain('BEGIN CERTIFICATE');
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(loaded.value.ticketKeys.toString('base64'));
  });

  it('ends with ONE identity when two cloudcores with the same secret start at once on an empty store', async () => {
    const store = bothReadFirst(await startedStore());
    const secret = 'shared-secret-for-both-cloudcores';
    const [a, b] = await Promise.all([
      loadClusterIdentity(store, { ...(await cloudDir()), env: { OUTPOST_CLUSTER_SECRET: secret } }),
      loadClusterIdentity(store, { ...(await cloudDir()), env: { OUTPOST_CLUSTER_SECRET: secret } }),
    ]);
    if (!a.ok || !b.ok) throw new Error(`${a.ok ? '' : a.message} ${b.ok ? '' : b.message}`);
    expect(a.value.ca.certPem).toBe(b.value.ca.certPem);
    expect(a.value.serviceAccountKey.keyId).toBe(b.value.serviceAccountKey.keyId);
    expect(a.value.ticketKeys.equals(b.value.ticketKeys)).toBe(true);
    expect([a.value.outcome, b.value.outcome].sort()).toEqual(['created', 'loaded']);
  });

  it('stops the loser of a race that made its own secret, asking for the winner\'s, and leaves no secret behind', async () => {
    const store = bothReadFirst(await startedStore());
    const dirs = [await cloudDir(), await cloudDir()];
    const results = await Promise.all(dirs.map((dir) => loadClusterIdentity(store, { ...dir, env: noEnv })));
    const winner = results.findIndex((r) => r.ok);
    const loser = results.findIndex((r) => !r.ok);
    expect([winner, loser].sort()).toEqual([0, 1]);
    expect(results[loser]).toMatchObject({ ok: false, code: 'Conflict' });
    expect(results[loser]?.ok ? '' : results[loser]?.message).toContain('--cluster-secret-file');
    await expect(stat(dirs[loser]?.localFile ?? '')).rejects.toThrow();
    // Started again with the winner's secret, it joins the one identity.
    const joined = await loadClusterIdentity(store, { ...(dirs[loser] ?? (await cloudDir())), secretFile: dirs[winner]?.localFile, env: noEnv });
    expect(joined.ok && joined.value.outcome).toBe('loaded');
  });

  it('refuses the wrong secret and never makes a new CA over the stored one', async () => {
    const store = await startedStore();
    const first = await loadClusterIdentity(store, { ...(await cloudDir()), env: noEnv });
    if (!first.ok) throw new Error(first.message);
    const before = await store.get(IDENTITY_KEY);
    const secretFile = join((await cloudDir()).pkiDir, 'wrong');
    await writeFile(secretFile, 'not-the-secret-of-this-cluster\n');
    const wrong = await loadClusterIdentity(store, { ...(await cloudDir()), secretFile, env: noEnv });
    expect(wrong).toMatchObject({ ok: false, code: 'Unauthorized', message: WRONG_SECRET_MESSAGE });
    const after = await store.get(IDENTITY_KEY);
    expect(after.ok && before.ok && after.value?.modRevision === before.value?.modRevision).toBe(true);
  });

  it('refuses a second cloudcore without a secret, naming the flag', async () => {
    const store = await startedStore();
    expect((await loadClusterIdentity(store, { ...(await cloudDir()), env: noEnv })).ok).toBe(true);
    const second = await loadClusterIdentity(store, { ...(await cloudDir()), env: noEnv });
    expect(second.ok).toBe(false);
    expect(second.ok ? '' : second.message).toContain('--cluster-secret-file');
  });

  it('reports a stored record whose sealed key was altered as damaged, not as a wrong secret', async () => {
    const store = await startedStore();
    const dir = await cloudDir();
    expect((await loadClusterIdentity(store, { ...dir, env: noEnv })).ok).toBe(true);
    const stored = await store.get(IDENTITY_KEY);
    if (!stored.ok || stored.value === undefined) throw new Error('no identity stored');
    const record = JSON.parse(stored.value.value) as { sealed: { caKey: string } };
    const bytes = Buffer.from(record.sealed.caKey, 'base64');
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    record.sealed.caKey = bytes.toString('base64');
    expect((await store.update(IDENTITY_KEY, JSON.stringify(record), stored.value.modRevision)).ok).toBe(true);
    const loaded = await loadClusterIdentity(store, { ...dir, env: noEnv });
    expect(loaded).toMatchObject({ ok: false, code: 'StoreCorrupt' });
    expect(loaded.ok ? '' : loaded.message).toContain('caKey');
  });

  it('moves an older data folder\'s CA and service-account key into the store, then removes the plain keys', async () => {
    const store = await startedStore();
    const dir = await cloudDir();
    const ca = await createCa();
    const saKey = freshServiceAccountKeyPem();
    await writeFile(join(dir.pkiDir, 'ca.crt'), ca.certPem);
    await writeFile(join(dir.pkiDir, 'ca.key'), ca.keyPem, { mode: 0o600 });
    await writeFile(join(dir.pkiDir, 'sa.key'), saKey, { mode: 0o600 });
    const moved = await loadClusterIdentity(store, { ...dir, env: noEnv });
    if (!moved.ok) throw new Error(moved.message);
    expect(moved.value.outcome).toBe('migrated');
    expect(moved.value.ca.certPem).toBe(ca.certPem);
    expect(moved.value.serviceAccountKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toBe(saKey);
    await expect(stat(join(dir.pkiDir, 'ca.key'))).rejects.toThrow();
    await expect(stat(join(dir.pkiDir, 'sa.key'))).rejects.toThrow();
    expect(await readFile(join(dir.pkiDir, 'ca.crt'), 'utf8')).toBe(ca.certPem);
    const secret = (await readFile(dir.localFile, 'utf8')).trim();
    const read = await readClusterIdentity(store, secret);
    expect(read.ok && read.value.ca.certPem).toBe(ca.certPem);
  });

  it('stores nothing from an older data folder whose CA key does not belong to its certificate', async () => {
    const store = await startedStore();
    const dir = await cloudDir();
    const [ca, other] = [await createCa(), await createCa()];
    await writeFile(join(dir.pkiDir, 'ca.crt'), ca.certPem);
    await writeFile(join(dir.pkiDir, 'ca.key'), other.keyPem, { mode: 0o600 });
    expect(await loadClusterIdentity(store, { ...dir, env: noEnv })).toMatchObject({ ok: false, code: 'Invalid' });
    const stored = await store.get(IDENTITY_KEY);
    expect(stored.ok && stored.value).toBeUndefined();
    expect(await readFile(join(dir.pkiDir, 'ca.key'), 'utf8')).toBe(other.keyPem);
  });

  it('refuses to join a datastore while pki/ still holds the key of another CA', async () => {
    const store = await startedStore();
    const first = await cloudDir();
    expect((await loadClusterIdentity(store, { ...first, env: noEnv })).ok).toBe(true);
    const other = await cloudDir();
    const ca = await createCa();
    await writeFile(join(other.pkiDir, 'ca.crt'), ca.certPem);
    await writeFile(join(other.pkiDir, 'ca.key'), ca.keyPem, { mode: 0o600 });
    const joined = await loadClusterIdentity(store, { ...other, secretFile: first.localFile, env: noEnv });
    expect(joined).toMatchObject({ ok: false, code: 'Conflict' });
    expect(await readFile(join(other.pkiDir, 'ca.key'), 'utf8')).toBe(ca.keyPem);
  });
});
