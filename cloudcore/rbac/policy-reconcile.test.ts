import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { updateObject } from '../apiserver/index.js';
import { createPolicyReconciler } from './policy-reconcile.js';

const signal = new AbortController().signal;

describe('default RBAC policy', () => {
  it('creates the defaults, then adds back what is missing and leaves autoupdate=false alone', async () => {
    const ctx = await memoryApiContext();
    const roles = ctx.registry.get('rbac.authorization.k8s.io', 'v1', 'clusterroles');
    const bindings = ctx.registry.get('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings');
    if (roles === undefined || bindings === undefined) throw new Error('RBAC kinds are not served');
    await createPolicyReconciler(ctx, silentLogger()).start(signal);
    const view = await ctx.objects.get(roles, undefined, 'view');
    expect(view?.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    expect(view?.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    expect((await ctx.objects.get(bindings, undefined, 'cluster-admin'))?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);

    // A user trims basic-user's rules and empties discovery's binding, and pins public-info-viewer.
    const edit = (name: string, def: typeof roles, change: (o: Record<string, unknown>) => void) =>
      updateObject(ctx, def, { namespace: undefined, name, subresource: undefined, dryRun: false, mutate: (o) => (change(o as unknown as Record<string, unknown>), o) });
    await edit('system:basic-user', roles, (o) => (o.rules = [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] }, { apiGroups: ['example.com'], resources: ['x'], verbs: ['get'] }]));
    await edit('system:discovery', bindings, (o) => (o.subjects = []));
    await edit('system:public-info-viewer', roles, (o) => {
      o.rules = [];
      (o.metadata as { annotations: Record<string, string> }).annotations['rbac.authorization.kubernetes.io/autoupdate'] = 'false';
    });

    await createPolicyReconciler(ctx, silentLogger()).start(signal);
    const basic = await ctx.objects.get(roles, undefined, 'system:basic-user');
    expect(basic?.rules).toEqual([
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: ['example.com'], resources: ['x'], verbs: ['get'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]);
    expect((await ctx.objects.get(bindings, undefined, 'system:discovery'))?.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }]);
    expect((await ctx.objects.get(roles, undefined, 'system:public-info-viewer'))?.rules).toEqual([]);
  });
});
