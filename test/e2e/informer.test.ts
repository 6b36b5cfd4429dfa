import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor as poll } from '../helpers/poll.js';

/**
 * The Kubernetes JavaScript client's informer (list, then watch from the list's resourceVersion,
 * relist after 410 Gone) against a real cloudcore. Compaction is forced so the informer's watch
 * revision becomes too old while it is disconnected.
 */
let cloud: CloudProcess;
beforeAll(async () => {
  cloud = await startCloud({ args: ['--config', await writeConfig()] });
});
afterAll(async () => {
  await cloud?.stop();
});

async function writeConfig(): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tempDir } = await import('../helpers/paths.js');
  const file = join(tempDir('informer-config'), 'cloud.yaml');
  // Compact often and keep few revisions, so that history is gone quickly.
  writeFileSync(file, 'apiVersion: outpost.dev/v1alpha1\nkind: CloudConfig\nstorage:\n  compactIntervalSeconds: 1\n  keepRevisions: 1\n');
  return file;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await poll(check, { timeoutMs, intervalMs: 25, description: what });
}

/** Polls until a watch from `rv` is refused with 410 (compaction runs every second here). */
async function waitForGone(api: ReturnType<typeof rawClient>, rv: string): Promise<boolean> {
  const refused = async () => (await api('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`)).body.includes('"code":410');
  // The caller asserts on the answer, so a timeout is an answer here (false), not an error.
  return poll(refused, { timeoutMs: 30_000, intervalMs: 200, description: `a watch from ${rv} to be refused with 410` }).then(
    () => true,
    () => false,
  );
}

describe('@kubernetes/client-node informer', () => {
  it('lists, watches, relists after 410 Gone, and sees every change', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cloud.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen = new Map<string, string>();
    const deleted = new Set<string>();
    const errors: unknown[] = [];
    informer.on('add', (cm) => seen.set(cm.metadata?.name ?? '', cm.data?.v ?? ''));
    informer.on('update', (cm) => seen.set(cm.metadata?.name ?? '', cm.data?.v ?? ''));
    informer.on('delete', (cm) => {
      seen.delete(cm.metadata?.name ?? '');
      deleted.add(cm.metadata?.name ?? '');
    });
    // stop() aborts the running watch request, which the client reports as an AbortError.
    informer.on('error', (err) => {
      if ((err as { name?: string }).name !== 'AbortError') errors.push(err);
    });

    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' }, data: { v: '1' } } });
    await informer.start();
    await waitFor(() => seen.get('before') === '1', 'the initial list');

    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'live' }, data: { v: '1' } } });
    await core.replaceNamespacedConfigMap({ name: 'before', namespace: 'default', body: { metadata: { name: 'before' }, data: { v: '2' } } });
    await waitFor(() => seen.get('live') === '1' && seen.get('before') === '2', 'watch events');

    // A watch from a revision that compaction removed must get 410 and make the informer relist.
    const api = rawClient(readKubeconfig(cloud.kubeconfig));
    const list = await api('GET', '/api/v1/namespaces/default/configmaps');
    const oldRv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    for (let i = 0; i < 5; i++) {
      await core.replaceNamespacedConfigMap({ name: 'live', namespace: 'default', body: { metadata: { name: 'live' }, data: { v: `churn-${i}` } } });
    }
    expect(await waitForGone(api, oldRv)).toBe(true);

    // Now break the informer's watch while changes happen, with history compacted meanwhile:
    // restarting cloudcore closes every watch, and the informer must relist to catch up.
    informer.stop();
    await core.deleteNamespacedConfigMap({ name: 'before', namespace: 'default' });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'while-away' }, data: { v: 'x' } } });
    for (let i = 0; i < 5; i++) {
      await core.replaceNamespacedConfigMap({ name: 'live', namespace: 'default', body: { metadata: { name: 'live' }, data: { v: `final-${i}` } } });
    }
    const informerRv = (informer as unknown as { latestResourceVersion(): string }).latestResourceVersion();
    expect(await waitForGone(api, informerRv)).toBe(true);
    await informer.start();
    await waitFor(() => seen.get('while-away') === 'x' && !seen.has('before') && seen.get('live') === 'final-4', 'relist after 410');
    expect(deleted.has('before')).toBe(true);
    informer.stop();
    expect(errors).toEqual([]);
  });
});
