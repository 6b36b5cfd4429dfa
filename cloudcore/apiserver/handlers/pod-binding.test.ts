import { describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { createObject } from './create.js';
import { bindPod } from './pod-binding.js';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

describe('pods/binding', () => {
  it('sets spec.nodeName and PodScheduled once; a second binding is a conflict naming the node', async () => {
    const ctx = await memoryApiContext();
    const def = ctx.registry.get('', 'v1', 'pods')!;
    const created = await createObject(ctx, def, pod('p'), { dryRun: false });
    const bound = await bindPod(ctx, { namespace: 'default', name: 'p', nodeName: 'edge-1', uid: created.metadata.uid! });
    expect((bound.spec as { nodeName?: string }).nodeName).toBe('edge-1');
    expect((bound.status as { conditions?: unknown[] }).conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    await expect(bindPod(ctx, { namespace: 'default', name: 'p', nodeName: 'edge-2' })).rejects.toMatchObject({
      status: { code: 409, message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "edge-1"' },
    });
  });

  it('refuses a pod re-created under the same name, and a missing pod', async () => {
    const ctx = await memoryApiContext();
    const def = ctx.registry.get('', 'v1', 'pods')!;
    await createObject(ctx, def, pod('q'), { dryRun: false });
    await expect(bindPod(ctx, { namespace: 'default', name: 'q', nodeName: 'n', uid: 'other' })).rejects.toMatchObject({ status: { code: 409 } });
    await expect(bindPod(ctx, { namespace: 'default', name: 'none', nodeName: 'n' })).rejects.toMatchObject({ status: { code: 404 } });
  });
});
