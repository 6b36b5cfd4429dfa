import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig, type RawResponse } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor as poll } from '../helpers/poll.js';

/**
 * API semantics a Kubernetes client relies on, checked at the HTTP level where kubectl hides the
 * details: paging at a fixed revision, watch options, finalizers and garbage collection, pod
 * deletion rules, event expiry and bad input.
 */
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;

beforeAll(async () => {
  const config = join(tempDir('semantics-config'), 'cloud.yaml');
  // Compaction every second keeping few revisions, so that a `continue` token can expire; events
  // expire after 2 s so that expiry is observable.
  writeFileSync(config, [
    'apiVersion: outpost.dev/v1alpha1', 'kind: CloudConfig',
    'storage: {compactIntervalSeconds: 1, keepRevisions: 5}',
    'controllers: {eventTtlSeconds: 2}',
    'apiserver: {bookmarkIntervalSeconds: 1}',
  ].join('\n'));
  cloud = await startCloud({ args: ['--config', config] });
  api = rawClient(readKubeconfig(cloud.kubeconfig));
});
afterAll(async () => {
  await cloud?.stop();
});

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { k: name } });

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  return (await poll(probe, { timeoutMs, intervalMs: 100, description: what })) as T;
}

/** A new namespace, once it holds its kube-root-ca.crt (as every namespace does: docs/service-accounts.md), so lists below are exact. */
async function createNamespace(name: string): Promise<void> {
  expect((await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })).status).toBe(201);
  await eventually(async () => ((await api('GET', `/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`)).status === 200 ? true : undefined), `kube-root-ca.crt in ${name}`);
}

function statusOf(res: RawResponse): { reason?: string; code?: number; message?: string } {
  return res.json();
}

describe('list paging', () => {
  it('pages with limit/continue at the revision of the first page', async () => {
    await createNamespace('paging');
    for (let i = 0; i < 7; i++) expect((await api('POST', '/api/v1/namespaces/paging/configmaps', cm(`cm-${i}`))).status).toBe(201);
    const first = (await api('GET', '/api/v1/namespaces/paging/configmaps?limit=3')).json<{ metadata: { continue?: string; resourceVersion: string }; items: { metadata: { name: string } }[] }>();
    expect(first.items.map((i) => i.metadata.name)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(first.metadata.continue).toBeTruthy();
    // A change after the first page must not show in the later pages of the same list.
    expect((await api('POST', '/api/v1/namespaces/paging/configmaps', cm('cm-3a'))).status).toBe(201);
    const second = (await api('GET', `/api/v1/namespaces/paging/configmaps?limit=3&continue=${first.metadata.continue}`)).json<typeof first>();
    expect(second.items.map((i) => i.metadata.name)).toEqual(['cm-3', 'cm-4', 'cm-5']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const third = (await api('GET', `/api/v1/namespaces/paging/configmaps?limit=3&continue=${second.metadata.continue}`)).json<typeof first>();
    expect(third.items.map((i) => i.metadata.name)).toEqual(['cm-6', 'kube-root-ca.crt']);
    expect(third.metadata.continue).toBeUndefined();
  });

  it('answers 410 Expired for a continue token whose revision was compacted', async () => {
    const first = (await api('GET', '/api/v1/namespaces/paging/configmaps?limit=2')).json<{ metadata: { continue: string } }>();
    for (let i = 0; i < 10; i++) await api('PUT', '/api/v1/namespaces/paging/configmaps/cm-0', cm('cm-0', { labels: { round: String(i) } }));
    const expired = await eventually(async () => {
      const res = await api('GET', `/api/v1/namespaces/paging/configmaps?limit=2&continue=${first.metadata.continue}`);
      return res.status === 410 ? res : undefined;
    }, 'compaction to pass the token');
    expect(statusOf(expired)).toMatchObject({ reason: 'Expired', code: 410 });
  });

  it('filters with label selectors (all operators) and field selectors', async () => {
    await createNamespace('select');
    const labelled = [['a', { tier: 'web', env: 'prod' }], ['b', { tier: 'db', env: 'prod' }], ['c', { tier: 'web' }]] as const;
    for (const [name, labels] of labelled) await api('POST', '/api/v1/namespaces/select/configmaps', cm(name, { labels }));
    const names = async (query: string) => (await api('GET', `/api/v1/namespaces/select/configmaps?${query}`)).json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name);
    expect(await names(`labelSelector=${encodeURIComponent('tier=web')}`)).toEqual(['a', 'c']);
    expect(await names(`labelSelector=${encodeURIComponent('tier!=web')}`)).toEqual(['b', 'kube-root-ca.crt']);
    expect(await names(`labelSelector=${encodeURIComponent('tier in (db,cache)')}`)).toEqual(['b']);
    expect(await names(`labelSelector=${encodeURIComponent('tier notin (db),env')}`)).toEqual(['a']);
    expect(await names(`labelSelector=${encodeURIComponent('!env')}`)).toEqual(['c', 'kube-root-ca.crt']);
    expect(await names(`fieldSelector=${encodeURIComponent('metadata.name!=a')}`)).toEqual(['b', 'c', 'kube-root-ca.crt']);
    const bad = await api('GET', `/api/v1/namespaces/select/configmaps?fieldSelector=${encodeURIComponent('spec.nope=1')}`);
    expect(bad.status).toBe(400);
    expect(statusOf(bad).message).toContain('field label not supported: spec.nope');
    const badLabel = await api('GET', `/api/v1/namespaces/select/configmaps?labelSelector=${encodeURIComponent('a in (')}`);
    expect(badLabel.status).toBe(400);
  });
});

describe('watch', () => {
  it('sends bookmarks when asked and ends after timeoutSeconds', async () => {
    const list = (await api('GET', '/api/v1/namespaces/default/configmaps')).json<{ metadata: { resourceVersion: string } }>();
    const res = await api('GET', `/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${list.metadata.resourceVersion}`);
    expect(res.status).toBe(200);
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { kind: string; metadata: { resourceVersion: string } } });
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object.kind).toBe('ConfigMap');
    expect(Number(bookmark?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.metadata.resourceVersion));
  });

  it('starts with synthetic ADDED events when resourceVersion is 0', async () => {
    await createNamespace('watch-zero');
    await api('POST', '/api/v1/namespaces/watch-zero/configmaps', cm('present'));
    const res = await api('GET', '/api/v1/namespaces/watch-zero/configmaps?watch=true&resourceVersion=0&timeoutSeconds=1');
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    const added = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(events[0]?.type).toBe('ADDED');
    expect(added).toEqual(['kube-root-ca.crt', 'present']);
  });
});

describe('create', () => {
  it('generates names from generateName', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(res.status).toBe(201);
    expect(res.json<{ metadata: { name: string } }>().metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('gives a Service a cluster IP from the service range', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } });
    expect(res.status).toBe(201);
    const spec = res.json<{ spec: { clusterIP: string; clusterIPs: string[] } }>().spec;
    expect(spec.clusterIP).toMatch(/^10\.43\.\d+\.\d+$/);
    expect(spec.clusterIPs).toEqual([spec.clusterIP]);
  });

  it('does not write with dryRun=All', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    expect(res.status).toBe(201);
    expect((await api('GET', '/api/v1/namespaces/default/configmaps/dry')).status).toBe(404);
  });
});

describe('update', () => {
  it('treats a uid in the body as a precondition', async () => {
    await api('POST', '/api/v1/namespaces/default/configmaps', cm('uid-checked'));
    const res = await api('PUT', '/api/v1/namespaces/default/configmaps/uid-checked', cm('uid-checked', { uid: 'another-object' }));
    expect(res.status).toBe(409);
    expect(statusOf(res).message).toContain('Precondition failed: UID in precondition: another-object');
  });
});

describe('deletion', () => {
  it('holds an object with finalizers until they are removed', async () => {
    await api('POST', '/api/v1/namespaces/default/configmaps', cm('held', { finalizers: ['example.com/hold'] }));
    const del = await api('DELETE', '/api/v1/namespaces/default/configmaps/held');
    expect(del.status).toBe(202);
    const held = (await api('GET', '/api/v1/namespaces/default/configmaps/held')).json<{ metadata: { deletionTimestamp?: string } }>();
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    const patch = await api('PATCH', '/api/v1/namespaces/default/configmaps/held', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patch.status).toBe(200);
    expect((await api('GET', '/api/v1/namespaces/default/configmaps/held')).status).toBe(404);
  });

  it('collects dependents in the background, orphans them, or deletes them first (foreground)', async () => {
    await createNamespace('gc');
    const owner = async (name: string) => (await api('POST', '/api/v1/namespaces/gc/configmaps', cm(name))).json<{ metadata: { uid: string } }>().metadata.uid;
    const dependent = async (name: string, ownerName: string, uid: string) =>
      api('POST', '/api/v1/namespaces/gc/configmaps', cm(name, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: ownerName, uid }] }));
    const exists = async (name: string) => (await api('GET', `/api/v1/namespaces/gc/configmaps/${name}`)).status === 200;

    await dependent('bg-child', 'bg-owner', await owner('bg-owner'));
    await api('DELETE', '/api/v1/namespaces/gc/configmaps/bg-owner', { propagationPolicy: 'Background' });
    await eventually(async () => ((await exists('bg-child')) ? undefined : true), 'background collection');

    await dependent('orphan-child', 'orphan-owner', await owner('orphan-owner'));
    await api('DELETE', '/api/v1/namespaces/gc/configmaps/orphan-owner', { propagationPolicy: 'Orphan' });
    await eventually(async () => ((await exists('orphan-owner')) ? undefined : true), 'orphaning owner to go');
    const orphan = (await api('GET', '/api/v1/namespaces/gc/configmaps/orphan-child')).json<{ metadata: { ownerReferences?: unknown[] } }>();
    expect(orphan.metadata.ownerReferences).toBeUndefined();

    await dependent('fg-child', 'fg-owner', await owner('fg-owner'));
    const fg = await api('DELETE', '/api/v1/namespaces/gc/configmaps/fg-owner', { propagationPolicy: 'Foreground' });
    expect(fg.json<{ metadata: { finalizers: string[] } }>().metadata.finalizers).toContain('foregroundDeletion');
    await eventually(async () => ((await exists('fg-owner')) || (await exists('fg-child')) ? undefined : true), 'foreground deletion');
  });

  it('deletes a collection by label', async () => {
    await createNamespace('collection');
    for (const [name, group] of [['x1', 'x'], ['x2', 'x'], ['y1', 'y']]) {
      await api('POST', '/api/v1/namespaces/collection/configmaps', cm(name ?? '', { labels: { group } }));
    }
    expect((await api('DELETE', '/api/v1/namespaces/collection/configmaps?labelSelector=group%3Dx')).status).toBe(200);
    const left = (await api('GET', '/api/v1/namespaces/collection/configmaps')).json<{ items: { metadata: { name: string } }[] }>();
    expect(left.items.map((i) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'y1']);
  });

  it('deletes at once a pod bound to a node that does not exist; a real node\'s pod waits for a uid-checked final delete', async () => {
    const pod = (name: string, nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'outpost.local/busybox:1' }] } });
    await api('POST', '/api/v1/namespaces/default/pods', pod('ghost-node-pod', 'no-such-node'));
    expect((await api('DELETE', '/api/v1/namespaces/default/pods/ghost-node-pod')).status).toBe(200);
    expect((await api('GET', '/api/v1/namespaces/default/pods/ghost-node-pod')).status).toBe(404);

    await api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-a' } });
    const created = (await api('POST', '/api/v1/namespaces/default/pods', pod('bound', 'edge-a'))).json<{ metadata: { uid: string } }>();
    expect((await api('DELETE', '/api/v1/namespaces/default/pods/bound')).status).toBe(202);
    const wrongUid = await api('DELETE', '/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 0, preconditions: { uid: 'not-the-uid' } });
    expect(wrongUid.status).toBe(409);
    expect((await api('GET', '/api/v1/namespaces/default/pods/bound')).status).toBe(200);
    const final = await api('DELETE', '/api/v1/namespaces/default/pods/bound', { gracePeriodSeconds: 0, preconditions: { uid: created.metadata.uid } });
    expect(final.status).toBe(200);
    expect((await api('GET', '/api/v1/namespaces/default/pods/bound')).status).toBe(404);
  });
});

describe('housekeeping', () => {
  it('expires events after their TTL', async () => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const res = await api('POST', '/api/v1/namespaces/default/events', {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'short-lived' },
      involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal',
      firstTimestamp: now, lastTimestamp: now, count: 1, source: { component: 'test' },
    });
    expect(res.status).toBe(201);
    await eventually(async () => ((await api('GET', '/api/v1/namespaces/default/events/short-lived')).status === 404 ? true : undefined), 'event expiry');
  });
});

describe('bad input', () => {
  it('rejects malformed JSON and YAML with 400', async () => {
    const json = await api('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": "v1", "kind": ', { 'Content-Type': 'application/json' });
    expect(json.status).toBe(400);
    expect(statusOf(json)).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const yaml = await api('POST', '/api/v1/namespaces/default/configmaps', 'metadata: [unclosed', { 'Content-Type': 'application/yaml' });
    expect(yaml.status).toBe(400);
  });

  it('accepts YAML bodies', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n', { 'Content-Type': 'application/yaml' });
    expect(res.status).toBe(201);
  });

  it('rejects a wrong kind or apiVersion', async () => {
    const kind = await api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(kind.status).toBe(400);
    const version = await api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(version.status).toBe(400);
    expect(statusOf(version).message).toContain('apps/v1');
  });

  it('rejects a body over 3 MiB with 413 and stores nothing', async () => {
    const big = cm('too-big');
    big.data.k = 'x'.repeat(3 * 1024 * 1024 + 10);
    const res = await api('POST', '/api/v1/namespaces/default/configmaps', big);
    expect(res.status).toBe(413);
    expect((await api('GET', '/api/v1/namespaces/default/configmaps/too-big')).status).toBe(404);
  });

  it('rejects unknown fields under Strict and keeps serving after garbage', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { ...cm('strict'), bogus: 1 });
    expect(res.status).toBe(400);
    expect(statusOf(res).message).toContain('unknown field "bogus"');
    for (const garbage of ['\u0000\u0001\u0002', '[]', 'null', '"string"', '{"metadata": 5}']) {
      const r = await api('POST', '/api/v1/namespaces/default/configmaps', garbage, { 'Content-Type': 'application/json' });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    expect((await api('GET', '/healthz')).status).toBe(200);
  });
});
