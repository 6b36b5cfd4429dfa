import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { createObject } from '../handlers/create.js';
import type { ApiContext } from '../handlers/context.js';

const def = (ctx: ApiContext, resource: string) => {
  const found = ctx.registry.get('', 'v1', resource);
  if (found === undefined) throw new Error(`${resource} not served`);
  return found;
};
const pod = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }], ...spec },
});
type Spec = { serviceAccountName?: string; volumes?: Array<{ name: string }>; containers: Array<{ volumeMounts?: unknown[] }> };
const specOf = (obj: KubeObject) => obj.spec as Spec;

describe('ServiceAccount admission (docs/service-accounts.md § Pod admission)', () => {
  it("makes the namespace's default account if needed and mounts the token volume in every container", async () => {
    const ctx = await memoryApiContext();
    const created = await createObject(ctx, def(ctx, 'pods'), pod(), { dryRun: false });
    expect(await ctx.objects.get(def(ctx, 'serviceaccounts'), 'default', 'default')).toBeDefined();
    const spec = specOf(created);
    expect(spec.serviceAccountName).toBe('default');
    const name = spec.volumes?.[0]?.name ?? '';
    expect(name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    for (const c of spec.containers) expect(c.volumeMounts).toEqual([{ name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('leaves a container with its own mount at the path alone, and mounts nothing when the pod opts out', async () => {
    const ctx = await memoryApiContext();
    const own = { name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    const created = await createObject(
      ctx,
      def(ctx, 'pods'),
      pod({ volumes: [{ name: 'mine', emptyDir: {} }], containers: [{ name: 'a', image: 'busybox', volumeMounts: [own] }] }),
      { dryRun: false },
    );
    expect(specOf(created).volumes?.map((v) => v.name)).toEqual(['mine']);
    const optedOut = await createObject(ctx, def(ctx, 'pods'), { ...pod({ automountServiceAccountToken: false }), metadata: { name: 'q', namespace: 'default' } }, { dryRun: false });
    expect(specOf(optedOut).volumes).toBeUndefined();
  });

  it("follows the service account's automount setting unless the pod says otherwise", async () => {
    const ctx = await memoryApiContext();
    await createObject(ctx, def(ctx, 'serviceaccounts'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: 'default' }, automountServiceAccountToken: false }, { dryRun: false });
    const quiet = await createObject(ctx, def(ctx, 'pods'), pod({ serviceAccountName: 'quiet' }), { dryRun: false });
    expect(specOf(quiet).volumes).toBeUndefined();
    const insisting = await createObject(ctx, def(ctx, 'pods'), { ...pod({ serviceAccountName: 'quiet', automountServiceAccountToken: true }), metadata: { name: 'r', namespace: 'default' } }, { dryRun: false });
    expect(specOf(insisting).volumes).toHaveLength(1);
  });

  it('refuses a pod whose service account does not exist, with Kubernetes\' message', async () => {
    const ctx = await memoryApiContext();
    await expect(createObject(ctx, def(ctx, 'pods'), pod({ serviceAccountName: 'ghost' }), { dryRun: false })).rejects.toMatchObject({
      status: { code: 403, message: 'pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found' },
    });
  });
});
