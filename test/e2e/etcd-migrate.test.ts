import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { outpost } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';

/**
 * Moving a cluster from SQLite to etcd with one command, then snapshots on etcd
 * (docs/datastore.md § Moving a cluster from SQLite to etcd, § Snapshots on etcd): a SQLite
 * cloudcore gets objects through kubectl 1.32 and is stopped; `outpost cloud migrate` copies it
 * into a one-member etcd (and refuses a second time unless --force); a cloudcore started on etcd
 * with the same data directory serves the same objects to kubectl 1.32 under the same CA;
 * `outpost cloud snapshot save` writes etcd's own snapshot and `restore` points to etcdctl.
 */
let etcd: EtcdCluster;
let dataDir: string;
const clouds: CloudProcess[] = [];

beforeAll(async () => {
  etcd = await startEtcd({ members: 1 });
}, 60_000);

afterAll(async () => {
  for (const cloud of clouds) await cloud.stop('SIGTERM');
  await etcd?.stop();
});

describe('from SQLite to etcd, and snapshots on etcd', () => {
  it('migrates a stopped SQLite cluster into etcd, where a cloudcore serves it to kubectl 1.32', async () => {
    const sqliteCloud = await startCloud();
    clouds.push(sqliteCloud);
    dataDir = sqliteCloud.dataDir;
    const before = createKubectl(sqliteCloud.kubeconfig);
    await before.ok(['create', 'namespace', 'shop']);
    await before.ok(['create', 'configmap', 'settings', '-n', 'shop', '--from-literal=colour=blue']);
    await before.ok(['create', 'secret', 'generic', 'till', '-n', 'shop', '--from-literal=pin=1234']);
    const caBefore = readKubeconfig(sqliteCloud.kubeconfig).ca;

    // A running cloudcore is never copied from under its feet.
    const whileRunning = await outpost(['cloud', 'migrate', '--data-dir', dataDir, '--datastore-endpoint', etcd.datastoreEndpoint]);
    expect(whileRunning.code).not.toBe(0);
    expect(whileRunning.stderr).toContain('still runs');
    await sqliteCloud.stop('SIGTERM');

    const migrated = await outpost(['cloud', 'migrate', '--data-dir', dataDir, '--datastore-endpoint', etcd.datastoreEndpoint]);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`outpost cloud --data-dir ${dataDir} --datastore-endpoint ${etcd.datastoreEndpoint}`);

    // The target now holds a cluster: a second run refuses, --force replaces it.
    const again = await outpost(['cloud', 'migrate', '--data-dir', dataDir, '--datastore-endpoint', etcd.datastoreEndpoint]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('--force');
    const forced = await outpost(['cloud', 'migrate', '--data-dir', dataDir, '--datastore-endpoint', etcd.datastoreEndpoint, '--force']);
    expect(forced.code).toBe(0);

    const etcdCloud = await startCloud({ dataDir, args: ['--datastore-endpoint', etcd.datastoreEndpoint] });
    clouds.push(etcdCloud);
    expect(readKubeconfig(etcdCloud.kubeconfig).ca.equals(caBefore)).toBe(true);
    const after = createKubectl(etcdCloud.kubeconfig);
    expect(await after.ok(['get', 'configmap', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.colour}'])).toBe('blue');
    expect(Buffer.from(await after.ok(['get', 'secret', 'till', '-n', 'shop', '-o', 'jsonpath={.data.pin}']), 'base64').toString()).toBe('1234');
    expect(await after.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/shop');
    // And it is a working cluster, not a read-only copy.
    await after.ok(['create', 'configmap', 'after-move', '-n', 'shop', '--from-literal=k=v']);
  }, 180_000);

  it('saves etcd’s own snapshot of the running cloud, and leaves restoring it to etcdctl', async () => {
    expect(dataDir, 'the migration test ran first').toBeDefined();
    const file = join(tempDir('etcd-snapshot'), 'cluster.db');
    const saved = await outpost(['cloud', 'snapshot', 'save', file, '--data-dir', dataDir, '--datastore-endpoint', etcd.datastoreEndpoint]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain('etcdctl snapshot restore');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // What `etcdctl snapshot save` writes: etcd's database followed by its sha256, which
    // `etcdctl snapshot restore` checks; the database holds the cluster's keys.
    const bytes = readFileSync(file);
    const db = bytes.subarray(0, bytes.length - 32);
    expect(createHash('sha256').update(db).digest().equals(bytes.subarray(bytes.length - 32))).toBe(true);
    expect(db.includes(Buffer.from('configmaps/shop/after-move'))).toBe(true);

    const restoreDir = tempDir('etcd-restore');
    const restored = await outpost(['cloud', 'snapshot', 'restore', file, '--data-dir', restoreDir, '--datastore-endpoint', etcd.datastoreEndpoint]);
    expect(restored.code).not.toBe(0);
    expect(restored.stderr).toContain('etcdctl snapshot restore');
    expect(existsSync(join(restoreDir, 'cloud', 'state.db'))).toBe(false);
  }, 60_000);
});
