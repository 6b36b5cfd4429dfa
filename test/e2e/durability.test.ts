import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const started: CloudProcess[] = [];
afterAll(async () => {
  for (const cloud of started) await cloud.stop('SIGKILL');
});

function configMap(name: string, value: string) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } };
}

describe('durability', () => {
  it('keeps every acknowledged write across kill -9 of cloudcore', async () => {
    const cloud = await startCloud();
    started.push(cloud);
    const api = rawClient(readKubeconfig(cloud.kubeconfig));
    const created: string[] = [];
    // Concurrent writes so that several share one group commit.
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const res = await api('POST', '/api/v1/namespaces/default/configmaps', configMap(`cm-${i}`, `v${i}`));
        expect(res.status).toBe(201);
        created.push(`cm-${i}`);
      }),
    );
    const update = await api('PUT', '/api/v1/namespaces/default/configmaps/cm-0', configMap('cm-0', 'changed'));
    expect(update.status).toBe(200);
    // The controller's kube-root-ca.crt is committed too before the kill, so the list below is exact.
    await waitFor(async () => (await api('GET', '/api/v1/namespaces/default/configmaps/kube-root-ca.crt')).status === 200, { timeoutMs: 20_000, intervalMs: 50, description: 'kube-root-ca.crt in default' });
    expect(await cloud.stop('SIGKILL')).toBeNull();

    const again = await startCloud({ dataDir: cloud.dataDir });
    started.push(again);
    const api2 = rawClient(readKubeconfig(again.kubeconfig));
    const list = await api2('GET', '/api/v1/namespaces/default/configmaps');
    expect(list.status).toBe(200);
    const items = list.json<{ items: { metadata: { name: string }; data: { value: string } }[] }>().items;
    // Plus the namespace's kube-root-ca.crt (docs/service-accounts.md § kube-root-ca.crt).
    expect(items.map((i) => i.metadata.name).sort()).toEqual([...created, 'kube-root-ca.crt'].sort());
    expect(items.find((i) => i.metadata.name === 'cm-0')?.data.value).toBe('changed');
    // The CA survived the crash, so every existing client and node still trusts the hub.
    expect(readKubeconfig(again.kubeconfig).ca.equals(readKubeconfig(cloud.kubeconfig).ca)).toBe(true);
  });

  it('restores a snapshot (database and pki) into a new data directory', async () => {
    const cloud = await startCloud();
    started.push(cloud);
    const api = rawClient(readKubeconfig(cloud.kubeconfig));
    expect((await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })).status).toBe(201);
    expect((await api('POST', '/api/v1/namespaces/shop/configmaps', configMap('settings', 'blue'))).status).toBe(201);

    const snapshot = join(tempDir('snapshot'), 'hub.snapshot');
    // Saved while cloudcore is running: SQLite's online backup gives a consistent copy.
    const saved = execFileSync(process.execPath, [OUTPOST_CLI, 'cloud', 'snapshot', 'save', snapshot, '--data-dir', cloud.dataDir], { encoding: 'utf8' });
    expect(saved).toContain('the cluster secret is NOT in the snapshot');
    expect(existsSync(snapshot)).toBe(true);
    await cloud.stop();

    const restoredDir = tempDir('restored');
    execFileSync(process.execPath, [OUTPOST_CLI, 'cloud', 'snapshot', 'restore', snapshot, '--data-dir', restoredDir]);
    // The cluster secret is not in the snapshot (docs/identity.md § Snapshots): without it the
    // restored hub refuses to start, naming the flag; with it, it serves the same cluster.
    await expect(startCloud({ dataDir: restoredDir })).rejects.toThrow('--cluster-secret-file');
    const restored = await startCloud({ dataDir: restoredDir, args: ['--cluster-secret-file', join(cloud.dataDir, 'cloud', 'cluster-secret')] });
    started.push(restored);
    const restoredCreds = readKubeconfig(restored.kubeconfig);
    const original = readKubeconfig(cloud.kubeconfig);
    expect(restoredCreds.ca.equals(original.ca)).toBe(true);
    const api2 = rawClient(restoredCreds);
    const cm = await api2('GET', '/api/v1/namespaces/shop/configmaps/settings');
    expect(cm.status).toBe(200);
    expect(cm.json<{ data: { value: string } }>().data.value).toBe('blue');
  });

  it('refuses to restore over an existing state database', async () => {
    const cloud = await startCloud();
    started.push(cloud);
    const snapshot = join(tempDir('snapshot'), 'hub.snapshot');
    execFileSync(process.execPath, [OUTPOST_CLI, 'cloud', 'snapshot', 'save', snapshot, '--data-dir', cloud.dataDir]);
    let message = '';
    try {
      execFileSync(process.execPath, [OUTPOST_CLI, 'cloud', 'snapshot', 'restore', snapshot, '--data-dir', cloud.dataDir], { stdio: 'pipe' });
    } catch (err) {
      message = String((err as { stderr?: Buffer }).stderr);
    }
    expect(message).toContain('restore into a new data directory');
  });
});
