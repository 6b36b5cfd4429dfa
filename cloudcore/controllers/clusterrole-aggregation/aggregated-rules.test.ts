import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { aggregatedRules } from './aggregated-rules.js';

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregationRule?: unknown): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules, ...(aggregationRule === undefined ? {} : { aggregationRule }),
});

describe('aggregatedRules', () => {
  it('gathers the rules of matching roles by name, each rule once, and never its own', () => {
    const view = role('view', {}, [{ verbs: ['stale'] }], { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] });
    const b = role('b-view', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const a = role('a-view', { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }, [{ apiGroups: ['x'], resources: ['widgets'], verbs: ['get'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    const other = role('other', {}, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    expect(aggregatedRules(view, [view, b, a, other])).toEqual([
      { apiGroups: ['x'], resources: ['widgets'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ]);
  });

  it('is undefined without an aggregationRule', () => {
    expect(aggregatedRules(role('plain', {}, []), [])).toBeUndefined();
  });
});
