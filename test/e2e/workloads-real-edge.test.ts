import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest } from '../helpers/kubectl-e2e.js';
import { startEdgedSetup, waitForBody, type EdgedSetup } from '../helpers/edged-e2e.js';
import { waitFor } from '../helpers/poll.js';

/*
 * The basic path of workloads on a real edge (docs/architecture.md § Controllers): a Deployment
 * and a DaemonSet made with a real kubectl are scheduled to a real edgecore, which runs their pods
 * through its own containerd; `rollout status` finishes on the edge's reports, the pods serve,
 * and deleting the Deployment removes them from the edge.
 */
const NODE = 'workloads-edge';
const IMAGE = 'outpost.local/busybox:1';
const WAIT_MS = 180_000;

interface PodView {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string };
}

let setup: EdgedSetup | undefined;

function current(): EdgedSetup {
  if (setup === undefined) throw new Error('the edge did not start (see beforeAll)');
  return setup;
}

async function podsOf(app: string): Promise<PodView[]> {
  const res = await current().api('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`);
  return res.json<{ items: PodView[] }>().items;
}

describe('workloads on a real edge', () => {
  beforeAll(async () => {
    setup = await startEdgedSetup({ node: NODE });
  }, 180_000);

  afterAll(async () => {
    await setup?.stop();
  });

  it('a Deployment made with kubectl create is scheduled to the edge, rolls out, and its pods serve', async () => {
    const { kubectl } = current();
    await kubectl.ok(['create', 'deployment', 'web', `--image=${IMAGE}`, '--replicas=2', '--port=8080', '--', 'sh', '-c', 'mkdir -p /www && echo "hello from $HOSTNAME" > /www/index.html && exec httpd -f -p 8080 -h /www']);
    const status = await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=170s'], { timeoutMs: WAIT_MS });
    expect(status).toContain('deployment "web" successfully rolled out');
    const pods = await podsOf('web');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.spec.nodeName).toBe(NODE);
      expect(pod.status?.phase).toBe('Running');
      expect(await waitForBody(`http://${pod.status?.podIP ?? ''}:8080/`, `hello from ${pod.metadata.name}`)).toContain(pod.metadata.name);
    }
    const events = await kubectl.ok(['get', 'events', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{end}']);
    for (const reason of ['ScalingReplicaSet', 'SuccessfulCreate', 'Scheduled', 'Started']) expect(events).toContain(reason);
  }, WAIT_MS + 60_000);

  it('a DaemonSet puts its pod on the edge and `rollout status ds` finishes', async () => {
    const { kubectl } = current();
    const ds = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'agent', image: IMAGE, command: ['sleep', '3600'] }] } },
      },
    };
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(ds) });
    const status = await kubectl.ok(['rollout', 'status', 'ds/agent', '--timeout=170s'], { timeoutMs: WAIT_MS });
    expect(status).toContain('daemon set "agent" successfully rolled out');
    const [pod, ...more] = await podsOf('agent');
    expect(more).toHaveLength(0);
    expect(pod?.spec.nodeName).toBe(NODE);
    expect(pod?.status?.phase).toBe('Running');
  }, WAIT_MS + 60_000);

  it('deleting the Deployment removes its ReplicaSet and its pods from the edge', async () => {
    const { kubectl } = current();
    await kubectl.ok(['delete', 'deployment', 'web']);
    await waitFor(async () => (await podsOf('web')).length === 0, { timeoutMs: 120_000, description: "the Deployment's pods to be gone" });
    expect((await kubectl.ok(['get', 'replicasets', '-o', 'name'])).trim()).toBe('');
  }, 180_000);
});
