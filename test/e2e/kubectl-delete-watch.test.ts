import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { configMapObject, deploymentObject, eventually, followOutput, manifest, namespaceObject, nodeObject, podObject } from '../helpers/kubectl-e2e.js';

/**
 * Deleting and watching with a real kubectl 1.32: `delete` waits exactly as long as it should
 * (not at all for an unbound pod, until a forced delete for a pod on a live node), `delete
 * namespace` empties and removes the namespace, and `get -w` prints changes as they happen.
 */
let cloud: CloudProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject('del'), namespaceObject('watch'), nodeObject('edge-del')) });
});

afterAll(async () => {
  await cloud?.stop();
});

async function notFound(args: string[]): Promise<string> {
  const result = await kubectl(['get', ...args]);
  expect(result.code).not.toBe(0);
  return result.stderr;
}

/**
 * A selector no node matches keeps the scheduler from binding the pod (or the template's pods):
 * they stay without a node, so nothing waits for a kubelet that edge-del does not have.
 */
function unschedulable(pod: Record<string, unknown>): Record<string, unknown> {
  (pod.spec as Record<string, unknown>).nodeSelector = { 'outpost.test/no-such-node': 'true' };
  return pod;
}
function unschedulableTemplate(workload: Record<string, unknown>): Record<string, unknown> {
  unschedulable((workload.spec as { template: Record<string, unknown> }).template);
  return workload;
}

describe('kubectl delete', () => {
  it('deletes a pod with no node at once', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(unschedulable(podObject('del', 'loose'))) });
    expect(await kubectl.ok(['get', 'pod', 'loose', '-n', 'del', '-o', 'jsonpath={.spec.nodeName}'])).toBe('');
    expect(await kubectl.ok(['delete', 'pod', 'loose', '-n', 'del'])).toBe('pod "loose" deleted\n');
    expect(await notFound(['pod', 'loose', '-n', 'del'])).toContain('Error from server (NotFound): pods "loose" not found');
  });

  it('keeps a pod on a live node Terminating until a forced delete', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(podObject('del', 'bound', { nodeName: 'edge-del' })) });
    // The first delete waits for the node to finish the pod; nothing finishes it here.
    const waiting = followOutput(kubectl.spawn(['delete', 'pod', 'bound', '-n', 'del', '--timeout=60s']));
    await waiting.waitFor(/pod "bound" deleted/);
    await eventually(async () => /^bound\s+0\/1\s+Terminating\s+/m.test(await kubectl.ok(['get', 'pod', 'bound', '-n', 'del'])), 'pod to show Terminating');
    expect(await kubectl.ok(['get', 'pod', 'bound', '-n', 'del', '-o', 'jsonpath={.metadata.deletionGracePeriodSeconds}'])).toBe('30');
    expect(waiting.hasExited()).toBe(false);

    const forced = await kubectl(['delete', 'pod', 'bound', '-n', 'del', '--grace-period=0', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated');
    expect(forced.stdout).toBe('pod "bound" force deleted\n');
    // The waiting delete sees the DELETED event and returns successfully.
    expect(await waiting.exited).toBe(0);
    expect(await notFound(['pod', 'bound', '-n', 'del'])).toContain('pods "bound" not found');
  });

  it('--wait=false returns at once, leaving the pod Terminating', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(podObject('del', 'nowait', { nodeName: 'edge-del' })) });
    expect(await kubectl.ok(['delete', 'pod', 'nowait', '-n', 'del', '--wait=false'])).toBe('pod "nowait" deleted\n');
    expect(await kubectl.ok(['get', 'pod', 'nowait', '-n', 'del'])).toMatch(/^nowait\s+0\/1\s+Terminating\s+/m);
    expect(await kubectl.ok(['delete', 'pod', 'nowait', '-n', 'del', '--grace-period=0', '--force'])).toBe('pod "nowait" force deleted\n');
  });

  it('deletes by label selector and by file', async () => {
    const objects = manifest(configMapObject('del', 'sel-1', { a: '1' }, { group: 'g' }), configMapObject('del', 'sel-2', { a: '2' }, { group: 'g' }), configMapObject('del', 'keep', { a: '3' }));
    await kubectl.ok(['apply', '-f', '-'], { stdin: objects });
    const out = await kubectl.ok(['delete', 'configmaps', '-n', 'del', '-l', 'group=g']);
    expect(out.trim().split('\n').sort()).toEqual(['configmap "sel-1" deleted', 'configmap "sel-2" deleted']);
    expect(await kubectl.ok(['get', 'cm', '-n', 'del', '-o', 'name'])).toContain('configmap/keep');
    expect(await kubectl.ok(['delete', '-f', '-'], { stdin: manifest(configMapObject('del', 'keep', { a: '3' })) })).toBe('configmap "keep" deleted\n');
  });

  it('deletes a deployment', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(deploymentObject('del', 'gone', { replicas: 1 })) });
    expect(await kubectl.ok(['delete', 'deployment', 'gone', '-n', 'del'])).toBe('deployment.apps "gone" deleted\n');
    expect(await notFound(['deploy', 'gone', '-n', 'del'])).toContain('Error from server (NotFound): deployments.apps "gone" not found');
  });

  it('delete namespace removes its content and then the namespace, and returns', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      stdin: manifest(
        namespaceObject('doomed'),
        configMapObject('doomed', 'c1', { a: '1' }, { suite: 'doomed' }),
        configMapObject('doomed', 'c2', { a: '2' }, { suite: 'doomed' }),
        unschedulable(podObject('doomed', 'p1', { labels: { suite: 'doomed' } })),
        unschedulableTemplate(deploymentObject('doomed', 'd1', { replicas: 1 })),
      ),
    });
    expect(await kubectl.ok(['delete', 'namespace', 'doomed'], { timeoutMs: 60_000 })).toBe('namespace "doomed" deleted\n');
    expect(await notFound(['namespace', 'doomed'])).toContain('Error from server (NotFound): namespaces "doomed" not found');
    const left = await kubectl(['get', 'configmaps,pods,deployments', '-A', '-l', 'suite=doomed']);
    expect(left.code).toBe(0);
    expect(left.stdout).toBe('');
    expect(left.stderr).toContain('No resources found');
    expect(await kubectl.ok(['get', 'deploy', '-A', '-o', 'name'])).not.toContain('d1');
  });

  it('refuses to delete the default namespace', async () => {
    const result = await kubectl(['delete', 'namespace', 'default']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('kubectl get -w', () => {
  it('--output-watch-events prints ADDED, MODIFIED and DELETED as they happen', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(configMapObject('watch', 'existing', { a: '1' })) });
    // Every namespace holds kube-root-ca.crt, as on Kubernetes (docs/service-accounts.md): in the first list too.
    await eventually(async () => (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'watch'])).code === 0, 'kube-root-ca.crt in watch');
    const watch = followOutput(kubectl.spawn(['get', 'configmaps', '-n', 'watch', '-w', '--output-watch-events']));
    try {
      await watch.waitFor(/^EVENT\s+NAME\s+DATA\s+AGE\n/m);
      await watch.waitFor(/^ADDED\s+existing\s+1\s+\S+$/m);
      await watch.waitFor(/^ADDED\s+kube-root-ca\.crt\s+1\s+\S+$/m);

      await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(configMapObject('watch', 'w1', { a: '1' })) });
      await watch.waitFor(/^ADDED\s+w1\s+1\s+\S+$/m);
      await kubectl.ok(['patch', 'cm', 'w1', '-n', 'watch', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await watch.waitFor(/^MODIFIED\s+w1\s+2\s+\S+$/m);
      await kubectl.ok(['delete', 'cm', 'w1', '-n', 'watch']);
      await watch.waitFor(/^DELETED\s+w1\s+2\s+\S+$/m);
      const lines = watch.stdout().trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '));
      expect(lines).toEqual(['EVENT NAME DATA', 'ADDED existing 1', 'ADDED kube-root-ca.crt 1', 'ADDED w1 1', 'MODIFIED w1 2', 'DELETED w1 2']);
    } finally {
      watch.kill();
    }
  });

  it('plain -w on pods prints each new state of the pod', async () => {
    const watch = followOutput(kubectl.spawn(['get', 'pods', '-n', 'watch', '-w']));
    try {
      // An empty namespace prints nothing until the first change.
      await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(podObject('watch', 'wp', { nodeName: 'edge-del' })) });
      await watch.waitFor(/^wp\s+0\/1\s+Pending\s+0\s+\S+$/m);
      await kubectl.ok(['label', 'pod', 'wp', '-n', 'watch', 'seen=yes']);
      await kubectl.ok(['delete', 'pod', 'wp', '-n', 'watch', '--wait=false']);
      await watch.waitFor(/^wp\s+0\/1\s+Terminating\s+0\s+\S+$/m);
      await kubectl.ok(['delete', 'pod', 'wp', '-n', 'watch', '--grace-period=0', '--force']);
      expect(watch.stdout()).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
      expect(watch.stdout().match(/^wp\s+/gm)?.length).toBeGreaterThanOrEqual(3);
    } finally {
      watch.kill();
    }
  });

  it('-w on one object follows that object only', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(configMapObject('watch', 'solo', { a: '1' }), configMapObject('watch', 'other', { a: '1' })) });
    const watch = followOutput(kubectl.spawn(['get', 'configmap', 'solo', '-n', 'watch', '-w', '-o', 'name']));
    try {
      await watch.waitFor(/^configmap\/solo$/m);
      await kubectl.ok(['patch', 'cm', 'other', '-n', 'watch', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await kubectl.ok(['patch', 'cm', 'solo', '-n', 'watch', '--type=merge', '-p', '{"data":{"b":"2"}}']);
      await watch.waitFor(/^configmap\/solo\nconfigmap\/solo$/m);
      expect(watch.stdout()).not.toContain('other');
    } finally {
      watch.kill();
    }
  });
});
