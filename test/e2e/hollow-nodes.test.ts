import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { EXIT_CODE_ANNOTATION, startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { waitFor } from '../helpers/poll.js';

/**
 * The hollow kubelets that controller tests use, and the pods/binding subresource they (and the
 * scheduler) bind with, against a real cloudcore.
 */
describe('hollow nodes and pods/binding', () => {
  let cloud: CloudProcess;
  let api: ReturnType<typeof rawClient>;
  let nodes: HollowNodes;

  beforeAll(async () => {
    cloud = await startCloud();
    api = rawClient(readKubeconfig(cloud.kubeconfig));
    nodes = await startHollowNodes({ api, nodes: [{ name: 'hollow-1' }], bindPending: true });
  });

  afterAll(async () => {
    await nodes?.stop();
    await cloud?.stop();
  });

  it('binds a pending pod once through pods/binding, and its node reports it Running, then Succeeded', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job-like', annotations: { [EXIT_CODE_ANNOTATION]: '0' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await api('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    const done = await waitFor(async () => {
      const got = (await api('GET', '/api/v1/namespaces/default/pods/job-like')).json<{ spec: { nodeName?: string }; status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } }>();
      return got.status?.phase === 'Succeeded' ? got : undefined;
    }, { timeoutMs: 20_000, description: 'the pod to be bound, run and succeed' });
    expect(done.spec.nodeName).toBe('hollow-1');
    expect(done.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    const again = await api('POST', '/api/v1/namespaces/default/pods/job-like/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'job-like' }, target: { kind: 'Node', name: 'other' } });
    expect(again.status).toBe(409);
    expect(again.json<{ message: string }>().message).toContain('is already assigned to node "hollow-1"');
  });

  it('refuses a Binding without a target', async () => {
    const res = await api('POST', '/api/v1/namespaces/default/pods/job-like/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'job-like' }, target: {} });
    expect(res.status).toBe(400);
  });
});
