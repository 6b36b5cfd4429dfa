/**
 * Edge metadata sync offline (issue 5), real cloudcore and edgecore: MetaServer keeps serving from
 * edge.db while cloudcore is gone, and after the link comes back the edge holds exactly what the
 * cloud says the node needs: its pods, the configmaps/secrets/service accounts they reference
 * and that exist, and its own Node (protocol.md R8–R9, R13). The edge is cut off with the TLS
 * tap's pause switch, so changes made while cloudcore runs again do not reach it until we say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConcurrently } from '../helpers/channel-e2e.js';
import { waitFor } from '../helpers/edge-process.js';
import { edgeKeys, logs, readEdgeRows, startSyncSetup, waitEdgeEqualsCloud, type SyncSetup } from '../helpers/edge-sync-e2e.js';

const WAIT_MS = 15_000;
/**
 * Reconnecting waits for the edge's backoff (R20: up to 30 s after a long cut-off), which is
 * protocol policy, not sync latency; convergence afterwards gets the usual WAIT_MS.
 */
const RECONNECT_MS = 45_000;
/** A test's bound: setup, seeding, a cloud restart, 200 changes, up to 30 s of backoff, convergence. */
const TEST_TIMEOUT_MS = 150_000;
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

let setup: SyncSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

type Body = Record<string, unknown>;
const b64 = (text: string) => Buffer.from(text).toString('base64');

function expectStatus(res: { status: number; body: string }, allowed: number[], what: string): void {
  if (!allowed.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.body}`);
}
const cmBody = (name: string, value: string): Body => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } });
const secretBody = (name: string, value: string): Body => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: { value: b64(value) } });
/** A pod reading one configmap through env, another optionally through a volume, and secrets through envFrom. */
function podBody(name: string, node: string, refs: { envCm: string; volumeCm?: string; secrets?: string[] }): Body {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'offline' } },
    spec: {
      nodeName: node,
      containers: [{
        name: 'c', image: 'busybox',
        env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: refs.envCm, key: 'value', optional: true } } }],
        envFrom: (refs.secrets ?? []).map((s) => ({ secretRef: { name: s } })),
      }],
      volumes: refs.volumeCm === undefined ? [] : [{ name: 'v', configMap: { name: refs.volumeCm, optional: true } }],
    },
  };
}

/** Before the cut: serviceaccount default, cm-0..29 (cm-20..29 unreferenced), sec-a (by p-0..4), sec-b (by nobody), p-0..19 (p-i reads cm-i). */
async function seed(s: SyncSetup): Promise<void> {
  const api = () => s.api;
  const tasks: Array<() => Promise<unknown>> = [];
  // cloudcore makes no default service accounts (no token controller yet); one exists here so
  // the pods' `default` service account (set by admission) is part of what the node needs.
  expectStatus(await api()('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }), [201, 409], 'create serviceaccount default');
  for (let i = 0; i < 30; i++) tasks.push(async () => expectStatus(await api()('POST', '/api/v1/namespaces/default/configmaps', cmBody(`cm-${i}`, 'v0')), [201], `create cm-${i}`));
  tasks.push(async () => expectStatus(await api()('POST', '/api/v1/namespaces/default/secrets', secretBody('sec-a', 'a')), [201], 'create sec-a'));
  tasks.push(async () => expectStatus(await api()('POST', '/api/v1/namespaces/default/secrets', secretBody('sec-b', 'b')), [201], 'create sec-b'));
  for (let i = 0; i < 20; i++) {
    tasks.push(async () => expectStatus(await api()('POST', '/api/v1/namespaces/default/pods', podBody(`p-${i}`, s.node, { envCm: `cm-${i}`, ...(i < 5 ? { secrets: ['sec-a'] } : {}) })), [201], `create p-${i}`));
  }
  expect(await runConcurrently(tasks, 8)).toBe(0);
}

/**
 * Exactly 200 pod and configmap changes, in dependency order:
 * - 40 pod creates q-0..39: q-j reads cm-(20+j%10) (newly referenced) and cmnew-j; q-0..4 also sec-b (newly referenced);
 * - 60 pod label updates (p-0..19 twice, q-0..19 once);
 * - 20 pod deletes (p-0..9: cm-0..9 and sec-a become unreferenced; q-30..39, never seen by the edge);
 * - 30 configmap creates cmnew-0..29; 30 updates (cm-10..29, cmnew-0..9);
 * - 20 configmap deletes (cm-10..14, still referenced by p-10..14; cm-0..4; cmnew-20..29, just created).
 */
async function offlineChanges(s: SyncSetup): Promise<number> {
  const api = () => s.api;
  let changes = 0;
  const phase = async (tasks: Array<() => Promise<void>>) => {
    changes += tasks.length;
    expect(await runConcurrently(tasks, 8)).toBe(0);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  await phase(range(0, 30).map((j) => async () => expectStatus(await api()('POST', '/api/v1/namespaces/default/configmaps', cmBody(`cmnew-${j}`, 'new')), [201], `create cmnew-${j}`)));
  await phase(range(0, 40).map((j) => async () => expectStatus(
    await api()('POST', '/api/v1/namespaces/default/pods', podBody(`q-${j}`, s.node, { envCm: `cm-${20 + (j % 10)}`, volumeCm: `cmnew-${j}`, ...(j < 5 ? { secrets: ['sec-b'] } : {}) })),
    [201], `create q-${j}`)));
  const label = (name: string, round: number) => async () =>
    expectStatus(await api()('PATCH', `/api/v1/namespaces/default/pods/${name}`, { metadata: { labels: { round: String(round) } } }, MERGE), [200], `label ${name}`);
  await phase([...range(0, 20).map((i) => label(`p-${i}`, 1)), ...range(0, 20).map((j) => label(`q-${j}`, 1))]);
  await phase(range(0, 20).map((i) => label(`p-${i}`, 2)));
  const update = (name: string) => async () =>
    expectStatus(await api()('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, { data: { value: 'updated' } }, MERGE), [200], `update ${name}`);
  await phase([...range(10, 30).map((i) => update(`cm-${i}`)), ...range(0, 10).map((j) => update(`cmnew-${j}`))]);
  const remove = (path: string) => async () => expectStatus(await api()('DELETE', path), [200, 202], `DELETE ${path}`);
  await phase([...range(0, 10).map((i) => remove(`/api/v1/namespaces/default/pods/p-${i}`)), ...range(30, 40).map((j) => remove(`/api/v1/namespaces/default/pods/q-${j}`))]);
  await phase([
    ...range(10, 15).map((i) => remove(`/api/v1/namespaces/default/configmaps/cm-${i}`)),
    ...range(0, 5).map((i) => remove(`/api/v1/namespaces/default/configmaps/cm-${i}`)),
    ...range(20, 30).map((j) => remove(`/api/v1/namespaces/default/configmaps/cmnew-${j}`)),
  ]);
  return changes;
}

/** After the reconnect: edge.db equals the cloud's view, with no duplicate object and no leftover. */
async function expectConvergedAfterReconnect(s: SyncSetup): Promise<void> {
  s.tap.setPaused(false);
  await s.waitConnected(RECONNECT_MS);
  const expected = await waitEdgeEqualsCloud(s, WAIT_MS);
  expect(edgeKeys(s.edge.dbFile)).toEqual(expected);
  const names = readEdgeRows(s.edge.dbFile).map((r) => `${r.kind} ${r.namespace}/${r.name}`);
  expect(new Set(names).size).toBe(names.length);
  // Spot checks of the plan's outcome (the full set is compared above).
  expect(names).toEqual(expect.arrayContaining(['Pod default/p-10', 'Pod default/q-0', 'ConfigMap default/cm-20', 'ConfigMap default/cmnew-0', 'Secret default/sec-b', 'ServiceAccount default/default', `Node /${s.node}`]));
  for (const gone of ['Pod default/p-0', 'Pod default/q-30', 'ConfigMap default/cm-0', 'ConfigMap default/cm-5', 'ConfigMap default/cm-10', 'ConfigMap default/cmnew-20', 'Secret default/sec-a']) {
    expect(names).not.toContain(gone);
  }
}

async function cutOff(s: SyncSetup): Promise<void> {
  s.tap.setPaused(true);
  await s.waitDisconnected();
}

describe('edge sync offline (real cloudcore and edgecore)', () => {
  it('with cloudcore killed, kubectl against MetaServer still lists pods, configmaps, and (with the token) secrets', async () => {
    setup = await startSyncSetup({ node: 'offline-1' });
    const s = setup;
    await seed(s);
    await waitEdgeEqualsCloud(s, WAIT_MS);

    await s.cloud.stop('SIGKILL');
    await s.waitDisconnected();
    const kubectl = s.kubectl();
    const pods = await kubectl.ok(['get', 'pods', '-o', 'name']);
    expect(pods.trim().split('\n').sort()).toEqual(Array.from({ length: 20 }, (_, i) => `pod/p-${i}`).sort());
    const configMaps = await kubectl.ok(['get', 'configmaps', '-o', 'name']);
    // Plus kube-root-ca.crt, which every pod's token volume references (docs/service-accounts.md § Pod admission).
    expect(configMaps.trim().split('\n').sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `configmap/cm-${i}`), 'configmap/kube-root-ca.crt'].sort());
    expect(await kubectl.ok(['get', 'configmap', 'cm-3', '-o', 'jsonpath={.data.value}'])).toBe('v0');
    const secrets = await s.kubectlWithToken().ok(['get', 'secrets', '-o', 'name']);
    expect(secrets.trim().split('\n')).toEqual(['secret/sec-a']);
    expect(await s.kubectlWithToken().ok(['get', 'secret', 'sec-a', '-o', 'jsonpath={.data.value}'])).toBe(b64('a'));
    expect((await kubectl(['get', 'secrets'])).code).not.toBe(0);
  });

  it('cloudcore restarted while the edge is cut off, 200 pod and configmap changes, reconnect: edge.db equals the cloud\'s view', { timeout: TEST_TIMEOUT_MS }, async () => {
    setup = await startSyncSetup({ node: 'offline-2' });
    const s = setup;
    await seed(s);
    await waitEdgeEqualsCloud(s, WAIT_MS);

    await cutOff(s);
    await s.cloud.stop('SIGKILL');
    await s.restartCloud();
    expect(await offlineChanges(s)).toBe(200);
    // Still cut off: the edge has seen none of it.
    expect(readEdgeRows(s.edge.dbFile).some((r) => r.name === 'q-0' || r.name === 'cmnew-0')).toBe(false);
    await expectConvergedAfterReconnect(s);
  });

  it('edge restarted while the cloud is away (MetaServer serves from edge.db), then cloudcore starts, 200 changes, reconnect: edge.db equals the cloud\'s view', { timeout: TEST_TIMEOUT_MS }, async () => {
    setup = await startSyncSetup({ node: 'offline-3' });
    const s = setup;
    await seed(s);
    const before = await waitEdgeEqualsCloud(s, WAIT_MS);

    await cutOff(s);
    await s.cloud.stop('SIGKILL');
    expect(await s.edge.stop('SIGTERM')).toBe(0);
    await s.restartEdge();
    expect(edgeKeys(s.edge.dbFile)).toEqual(before);
    await waitFor(() => s.edge.endpoints()?.connection === 'disconnected', WAIT_MS, () => `edge claims a connection\n${logs(s)}`);
    expect((await s.kubectl().ok(['get', 'pods', '-o', 'name'])).trim().split('\n')).toHaveLength(20);
    expect(await s.kubectl().ok(['get', 'configmap', 'cm-7', '-o', 'jsonpath={.data.value}'])).toBe('v0');
    expect(await s.kubectlWithToken().ok(['get', 'secret', 'sec-a', '-o', 'jsonpath={.data.value}'])).toBe(b64('a'));

    await s.restartCloud();
    expect(await offlineChanges(s)).toBe(200);
    await expectConvergedAfterReconnect(s);
  });
});
