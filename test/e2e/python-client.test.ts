/**
 * The official Python client (Debian's python3-kubernetes) against a real cloudcore and a real
 * edge running its pods through containerd: CRUD, a watch (`watch=True`), logs with
 * `timestamps=True` and exec with `stdin=False` — the spellings Python sends, which the API reads
 * as kube-apiserver does (docs/kubectl.md § Query parameters).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { runPython } from '../helpers/python.js';

const NS = 'default';
const IMAGE = 'outpost.local/busybox:1';

let setup: EdgedSetup;

/** Runs `body` after loading the admin kubeconfig into `v1` (CoreV1Api); the script prints one JSON value. */
async function python(body: string): Promise<unknown> {
  const source = [
    'import json, sys',
    'from kubernetes import client, config, watch',
    'from kubernetes.stream import stream',
    `config.load_kube_config(config_file=${JSON.stringify(setup.cloud.kubeconfig)})`,
    'v1 = client.CoreV1Api()',
    body,
  ].join('\n');
  const out = await runPython(source, { timeoutMs: 90_000 });
  return JSON.parse(out) as unknown;
}

beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'py-1' });
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'talker', namespace: NS },
    spec: {
      nodeName: setup.node,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', 'echo line-one; echo line-two; exec sleep 3600'] }],
    },
  };
  const res = await setup.api('POST', `/api/v1/namespaces/${NS}/pods`, pod);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
  await waitForPod(setup, 'talker', (p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.running !== undefined), 120_000);
}, 240_000);

afterAll(async () => {
  await setup?.stop();
}, 180_000);

describe('the Python client', () => {
  it('lists, creates, patches and deletes', async () => {
    const result = await python(`
body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py-crud'), data={'a': '1'})
created = v1.create_namespaced_config_map('${NS}', body)
patched = v1.patch_namespaced_config_map('py-crud', '${NS}', {'data': {'a': '2'}})
names = [c.metadata.name for c in v1.list_namespaced_config_map('${NS}').items]
status = v1.delete_namespaced_config_map('py-crud', '${NS}')
try:
    v1.read_namespaced_config_map('py-crud', '${NS}')
    gone = None
except client.exceptions.ApiException as e:
    gone = [e.status, json.loads(e.body)['details']]
print(json.dumps({'created': created.data, 'patched': patched.data, 'listed': 'py-crud' in names, 'status': status.status, 'gone': gone}))
`);
    expect(result).toEqual({
      created: { a: '1' },
      patched: { a: '2' },
      listed: true,
      status: 'Success',
      gone: [404, { name: 'py-crud', kind: 'configmaps' }],
    });
  }, 120_000);

  it('watches: ADDED, MODIFIED and DELETED arrive through watch.Watch().stream', async () => {
    const result = await python(`
import threading
seen = []
def follow(rv):
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_config_map, '${NS}', field_selector='metadata.name=py-watched', resource_version=rv, timeout_seconds=30):
        seen.append([event['type'], event['object'].metadata.name, (event['object'].data or {}).get('v')])
        if event['type'] == 'DELETED':
            w.stop()
# From the list's resourceVersion: every change after it arrives, however late the watch connects.
rv = v1.list_namespaced_config_map('${NS}').metadata.resource_version
t = threading.Thread(target=follow, args=(rv,))
t.start()
v1.create_namespaced_config_map('${NS}', client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py-watched'), data={'v': '1'}))
v1.patch_namespaced_config_map('py-watched', '${NS}', {'data': {'v': '2'}})
v1.delete_namespaced_config_map('py-watched', '${NS}')
t.join(40)
print(json.dumps(seen))
`);
    expect(result).toEqual([
      ['ADDED', 'py-watched', '1'],
      ['MODIFIED', 'py-watched', '2'],
      ['DELETED', 'py-watched', '2'],
    ]);
  }, 120_000);

  it('reads a pod\'s log with timestamps=True', async () => {
    const lines = (await python(`
print(json.dumps(v1.read_namespaced_pod_log('talker', '${NS}', timestamps=True).splitlines()))
`)) as string[];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z line-one$/);
    expect(lines[1]).toMatch(/ line-two$/);
  }, 120_000);

  it('execs with stream(connect_get_namespaced_pod_exec, stdin=False, stdout=True, tty=False)', async () => {
    const result = await python(`
out = stream(v1.connect_get_namespaced_pod_exec, 'talker', '${NS}', command=['sh', '-c', 'echo hello from $HOSTNAME'],
             stderr=True, stdin=False, stdout=True, tty=False)
print(json.dumps(out))
`);
    expect(result).toBe('hello from talker\n');
  }, 120_000);
});

describe('what clients read about the edge\'s node and pods (kubelet\'s fidelity)', () => {
  it('the Node has kubelet\'s labels and pressure conditions', async () => {
    const node = (await python(`
n = v1.read_node('${setup.node}')
print(json.dumps({'labels': n.metadata.labels, 'conditions': [[c.type, c.status, c.reason] for c in n.status.conditions]}))
`)) as { labels: Record<string, string>; conditions: string[][] };
    expect(node.labels).toMatchObject({
      'kubernetes.io/hostname': setup.node,
      'kubernetes.io/os': 'linux',
      'beta.kubernetes.io/os': 'linux',
    });
    expect(node.labels['kubernetes.io/arch']).toMatch(/^(amd64|arm64|arm|386|[a-z0-9]+)$/);
    expect(node.labels['beta.kubernetes.io/arch']).toBe(node.labels['kubernetes.io/arch']);
    expect(node.conditions.map((c) => c[0])).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
    expect(node.conditions.find((c) => c[0] === 'PIDPressure')).toEqual(['PIDPressure', 'False', 'KubeletHasSufficientPID']);
  }, 120_000);

  it('the pod\'s events read as kubelet writes them', async () => {
    type Ev = { reason: string; message: string; type: string; source?: { component?: string; host?: string }; involvedObject: { fieldPath?: string } };
    let events: Ev[] = [];
    await waitFor(async () => {
      const res = await setup.api('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Dtalker`);
      events = res.json<{ items: Ev[] }>().items;
      return ['Pulled', 'Created', 'Started'].every((r) => events.some((e) => e.reason === r));
    }, 60_000, () => JSON.stringify(events));
    const byReason = (reason: string) => events.find((e) => e.reason === reason);
    expect(byReason('Pulled')).toMatchObject({ type: 'Normal', message: `Container image "${IMAGE}" already present on machine`, source: { component: 'kubelet', host: setup.node }, involvedObject: { fieldPath: 'spec.containers{main}' } });
    expect(byReason('Created')).toMatchObject({ type: 'Normal', message: 'Created container: main', source: { component: 'kubelet', host: setup.node } });
    expect(byReason('Started')).toMatchObject({ type: 'Normal', message: 'Started container main' });
  }, 120_000);
});
