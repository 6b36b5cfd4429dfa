/**
 * Edge metadata sync (issue 5), real cloudcore and edgecore: a node receives its pods, its own
 * Node, and exactly the configmaps and secrets those pods reference (docs/architecture.md § Security model,
 * "A secret that no pod on a node references never reaches that node"). The edge dials CloudHub
 * through a TLS tap (test/helpers/tls-tap-proxy.ts), so the test also reads every plaintext byte
 * the cloud sent.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { logs, readEdgeRows, startSyncSetup, type SyncSetup } from '../helpers/edge-sync-e2e.js';
import { metaGet } from '../helpers/metaserver-e2e.js';

const WAIT_MS = 15_000;
const OTHER_NODE = 'sync-other';
let s: SyncSetup;

beforeAll(async () => {
  s = await startSyncSetup({ node: 'sync-ref-1' });
});
afterAll(async () => {
  await s?.stop();
});

type Body = Record<string, unknown>;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unique = () => randomBytes(12).toString('hex');

async function create(path: string, body: Body): Promise<void> {
  const res = await s.api('POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
}
const configMap = (name: string, data: Record<string, string>, namespace = 'default') =>
  create(`/api/v1/namespaces/${namespace}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const secret = (name: string, data: Record<string, string>) =>
  create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
const pod = (name: string, node: string, spec: Body = {}) =>
  create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const deletePod = async (name: string) => expect((await s.api('DELETE', `/api/v1/namespaces/default/pods/${name}`)).status).toBeOneOf([200, 202]);

/** A MetaServer GET; secrets need the edge's token (sent as a bearer token). */
async function meta<T = Body>(path: string, withToken = false): Promise<{ status: number; body: T }> {
  return metaGet<T>(s.metaserver(), path, withToken ? { Authorization: `Bearer ${s.token()}` } : {});
}
const metaData = async (path: string, withToken = false) => {
  const res = await meta<{ data?: Record<string, string> }>(path, withToken);
  return res.status === 200 ? res.body.data : undefined;
};
async function waitMeta(what: string, check: () => Promise<boolean>): Promise<void> {
  await waitFor(check, WAIT_MS, () => `${what}\n${logs(s)}`);
}
const edgeRowsNamed = (kind: string, name: string) => readEdgeRows(s.edge.dbFile).filter((r) => r.kind === kind && r.name === name);

describe('edge sync: pods and what they reference (real cloudcore, edgecore, TLS tap)', () => {
  it('a bound pod, the configmaps it references (env, volume) and a secret it reads through envFrom reach MetaServer; nothing unreferenced does', async () => {
    await configMap('env-cm', { greeting: 'hello' });
    await configMap('env-cm', { greeting: 'other namespace' }, 'kube-system'); // same name, not referenced
    await configMap('unused-cm', { x: '1' });
    await secret('envfrom-secret', { password: 'envfrom-value' });
    await pod('ref-pod', s.node, {
      containers: [{
        name: 'c', image: 'busybox',
        env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'greeting' } } }],
        envFrom: [{ secretRef: { name: 'envfrom-secret' } }],
        volumeMounts: [{ name: 'files', mountPath: '/etc/files' }],
      }],
      volumes: [{ name: 'files', configMap: { name: 'vol-cm' } }],
    });
    // Referenced before it exists, as Kubernetes allows: it follows when it is created.
    await configMap('vol-cm', { 'app.conf': 'port=80' });

    await waitMeta('pod ref-pod in MetaServer', async () => (await meta('/api/v1/namespaces/default/pods/ref-pod')).status === 200);
    await waitMeta('configmap env-cm in MetaServer', async () => (await metaData('/api/v1/namespaces/default/configmaps/env-cm'))?.greeting === 'hello');
    await waitMeta('configmap vol-cm (volume only) in MetaServer', async () => (await metaData('/api/v1/namespaces/default/configmaps/vol-cm'))?.['app.conf'] === 'port=80');
    await waitMeta('secret envfrom-secret for a token holder', async () => (await metaData('/api/v1/namespaces/default/secrets/envfrom-secret', true))?.password === b64('envfrom-value'));
    expect(await s.kubectlWithToken().ok(['get', 'secret', 'envfrom-secret', '-o', 'jsonpath={.data.password}'])).toBe(b64('envfrom-value'));
    // Without the token the secret stays hidden, though it is on the edge.
    expect((await meta('/api/v1/namespaces/default/secrets/envfrom-secret')).status).toBe(403);

    // The node's own Node object is there too (created by the cloud from the edge's nodeStatus, R17).
    await waitMeta(`Node ${s.node} in MetaServer`, async () => (await meta(`/api/v1/nodes/${s.node}`)).status === 200);

    // Namespaced by the pod: kube-system/env-cm is not referenced by it. unused-cm is referenced by nobody.
    expect((await meta('/api/v1/namespaces/kube-system/configmaps/env-cm')).status).toBe(404);
    expect((await meta('/api/v1/namespaces/default/configmaps/unused-cm')).status).toBe(404);
    // kube-root-ca.crt is referenced too: by the token volume the ServiceAccount admission adds (docs/service-accounts.md § Pod admission).
    await waitMeta('configmap kube-root-ca.crt (token volume) in MetaServer', async () => (await metaData('/api/v1/namespaces/default/configmaps/kube-root-ca.crt'))?.['ca.crt'] !== undefined);
    expect(readEdgeRows(s.edge.dbFile).filter((r) => r.kind === 'ConfigMap').map((r) => `${r.namespace}/${r.name}`).sort()).toEqual(['default/env-cm', 'default/kube-root-ca.crt', 'default/vol-cm']);
  });

  it('only the node\'s own Node object reaches it', async () => {
    await create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: OTHER_NODE } });
    await waitMeta(`Node ${s.node} in MetaServer`, async () => (await meta(`/api/v1/nodes/${s.node}`)).status === 200);
    const nodes = await meta<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/nodes');
    expect(nodes.body.items.map((n) => n.metadata.name)).toEqual([s.node]);
  });

  it('the service account a pod names reaches edge.db (MetaServer does not serve them); an unnamed one does not', async () => {
    const sa = (name: string) => create('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    await sa('ref-sa');
    await sa('unused-sa');
    await pod('sa-pod', s.node, { serviceAccountName: 'ref-sa' });
    await waitMeta('ServiceAccount ref-sa in edge.db', async () => edgeRowsNamed('ServiceAccount', 'ref-sa').length === 1);
    expect(edgeRowsNamed('ServiceAccount', 'ref-sa')[0]?.namespace).toBe('default');
    expect(edgeRowsNamed('ServiceAccount', 'unused-sa')).toEqual([]);
  });

  it('an update to a referenced configmap (and secret) reaches the edge', async () => {
    const cm = await s.api('PATCH', '/api/v1/namespaces/default/configmaps/env-cm', { data: { greeting: 'bonjour' } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(cm.status).toBe(200);
    const sec = await s.api('PATCH', '/api/v1/namespaces/default/secrets/envfrom-secret', { data: { password: b64('rotated') } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(sec.status).toBe(200);
    await waitMeta('env-cm updated on the edge', async () => (await metaData('/api/v1/namespaces/default/configmaps/env-cm'))?.greeting === 'bonjour');
    await waitMeta('envfrom-secret updated on the edge', async () => (await metaData('/api/v1/namespaces/default/secrets/envfrom-secret', true))?.password === b64('rotated'));
    const rv = cm.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    expect(edgeRowsNamed('ConfigMap', 'env-cm').map((r) => r.resource_version)).toEqual([rv]);
  });

  it('a secret no pod on the node references is never sent: not in edge.db, not in the channel\'s plaintext; another node\'s pod does not leak it', { timeout: 90_000 }, async () => {
    const lonelyName = `lonely-${unique()}`;
    const lonelyValue = `v-${unique()}`;
    const tappedName = `tapped-${unique()}`;
    const tappedValue = `v-${unique()}`;
    await secret(lonelyName, { token: lonelyValue });
    // Another node's pod references it (env, volume, imagePullSecrets): that node's business only.
    await pod(`other-${unique()}`, OTHER_NODE, {
      containers: [{ name: 'c', image: 'busybox', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: lonelyName, key: 'token' } } }] }],
      volumes: [{ name: 's', secret: { secretName: lonelyName } }],
      imagePullSecrets: [{ name: lonelyName }],
    });
    // A new version of it, sent to nobody either.
    const updated = await s.api('PATCH', `/api/v1/namespaces/default/secrets/${lonelyName}`, { metadata: { labels: { v: '2' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(updated.status).toBe(200);

    // Written after the lonely secret: once this arrives, the lonely one had every chance to.
    await secret(tappedName, { token: tappedValue });
    await pod('tapped-pod', s.node, { volumes: [{ name: 's', secret: { secretName: tappedName } }] });
    await waitMeta('referenced secret on the edge', async () => (await metaData(`/api/v1/namespaces/default/secrets/${tappedName}`, true))?.token === b64(tappedValue));

    // And again through a fresh inventory/answer exchange (R8–R9): cut the link, let it reconnect.
    const before = s.tap.accepted;
    s.tap.dropAll();
    await waitFor(() => s.tap.accepted > before && s.edge.endpoints()?.connection === 'connected', 45_000, () => `edge did not reconnect\n${logs(s)}`);
    await configMap('barrier-cm', { after: 'reconnect' });
    await pod('barrier-pod', s.node, { containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: 'barrier-cm' } }] }] });
    await waitMeta('barrier configmap on the edge', async () => (await metaData('/api/v1/namespaces/default/configmaps/barrier-cm'))?.after === 'reconnect');

    const down = s.tap.cloudToEdge().toString('latin1');
    // The tap sees the channel: the referenced secret's name and (base64) value went by.
    expect(down).toContain(tappedName);
    expect(down).toContain(b64(tappedValue));
    // The unreferenced one never did, under any encoding the API uses.
    for (const needle of [lonelyName, lonelyValue, b64(lonelyValue)]) expect(down.includes(needle), `cloud→edge plaintext holds ${needle}`).toBe(false);
    expect(down).not.toContain(OTHER_NODE); // nor the other node's pod or Node

    // edge.db: no row names it, and no row's JSON holds its name or value.
    const rows = readEdgeRows(s.edge.dbFile);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const text = `${row.kind} ${row.namespace} ${row.name} ${row.json}`;
      for (const needle of [lonelyName, lonelyValue, b64(lonelyValue), OTHER_NODE]) expect(text.includes(needle), `edge.db row ${row.kind} ${row.name} holds ${needle}`).toBe(false);
    }
    expect((await meta(`/api/v1/namespaces/default/secrets/${lonelyName}`, true)).status).toBe(404);
  });

  it('dropping the last reference deletes the secret from the edge; one still referenced by another pod stays; a deleted configmap goes too', async () => {
    await secret('drop-me', { k: 'one' });
    await secret('shared', { k: 'two' });
    await configMap('doomed-cm', { k: 'three' });
    await pod('holder-1', s.node, { containers: [{ name: 'c', image: 'busybox', envFrom: [{ secretRef: { name: 'drop-me' } }, { secretRef: { name: 'shared' } }] }] });
    await pod('holder-2', s.node, {
      volumes: [{ name: 'p', projected: { sources: [{ secret: { name: 'shared' } }, { configMap: { name: 'doomed-cm' } }] } }],
    });
    for (const name of ['drop-me', 'shared']) {
      await waitMeta(`secret ${name} on the edge`, async () => (await meta(`/api/v1/namespaces/default/secrets/${name}`, true)).status === 200);
    }
    await waitMeta('projected configmap on the edge', async () => (await meta('/api/v1/namespaces/default/configmaps/doomed-cm')).status === 200);

    // Pod env is immutable: dropping the reference means deleting the pod (graceful: the edge
    // confirms it, R18, and then it is gone from the cloud).
    await deletePod('holder-1');
    await waitMeta('holder-1 gone from the cloud', async () => (await s.api('GET', '/api/v1/namespaces/default/pods/holder-1')).status === 404);
    await waitMeta('drop-me deleted from MetaServer', async () => (await meta('/api/v1/namespaces/default/secrets/drop-me', true)).status === 404);
    expect(edgeRowsNamed('Secret', 'drop-me')).toEqual([]);
    expect((await meta('/api/v1/namespaces/default/pods/holder-1')).status).toBe(404);
    // Still referenced by holder-2 through a projected volume.
    expect((await metaData('/api/v1/namespaces/default/secrets/shared', true))?.k).toBe(b64('two'));
    expect(edgeRowsNamed('Secret', 'shared')).toHaveLength(1);

    // Deleting a still-referenced object in the cloud deletes it on the edge; the pod stays.
    expect((await s.api('DELETE', '/api/v1/namespaces/default/configmaps/doomed-cm')).status).toBeOneOf([200, 202]);
    await waitMeta('doomed-cm deleted from MetaServer', async () => (await meta('/api/v1/namespaces/default/configmaps/doomed-cm')).status === 404);
    expect(edgeRowsNamed('ConfigMap', 'doomed-cm')).toEqual([]);
    expect((await meta('/api/v1/namespaces/default/pods/holder-2')).status).toBe(200);
  });
});
