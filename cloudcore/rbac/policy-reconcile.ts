import { readRole } from '../../shared/rbac/index.js';
import { asObj, objArray, stringMap } from '../../shared/k8s/object-access.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { equalJson } from '../../shared/json/index.js';
import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import { AUTOUPDATE_ANNOTATION, bootstrapClusterRoleBindings, bootstrapClusterRoles, ruleObject } from './bootstrap-policy.js';
import { RBAC_GROUP } from './informer-source.js';
import { covers } from './rule-coverage.js';

/**
 * Creates the default roles and bindings when absent and reconciles them on every start, as
 * kube-apiserver's RBAC bootstrap does (docs/rbac.md § Default roles): an object annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` is left alone; otherwise missing
 * labels, annotations, rules, aggregation selectors and subjects are added, and nothing a user
 * added is removed.
 */
export function createPolicyReconciler(ctx: ApiContext, logger: Logger): Module {
  return {
    name: 'rbac-bootstrap-policy',
    async start() {
      const roles = served(ctx, 'clusterroles');
      const bindings = served(ctx, 'clusterrolebindings');
      for (const role of bootstrapClusterRoles()) await ensure(ctx, roles, role, reconcileRole, logger);
      for (const binding of bootstrapClusterRoleBindings()) await ensure(ctx, bindings, binding, reconcileBinding, logger);
    },
    async stop() {},
  };
}

function served(ctx: ApiContext, resource: string): ResourceDefinition {
  const def = ctx.registry.get(RBAC_GROUP, 'v1', resource);
  if (def === undefined) throw new Error(`${resource}.${RBAC_GROUP} are not served`);
  return def;
}

type Reconcile = (existing: KubeObject, expected: KubeObject) => KubeObject;

async function ensure(ctx: ApiContext, def: ResourceDefinition, expected: KubeObject, reconcile: Reconcile, logger: Logger): Promise<void> {
  const name = expected.metadata.name ?? '';
  if ((await createIfAbsent(ctx, def, expected)).created) {
    logger.info({ kind: expected.kind, name }, 'default RBAC object created');
    return;
  }
  let changed = false;
  await updateObject(ctx, def, {
    namespace: undefined,
    name,
    subresource: undefined,
    dryRun: false,
    mutate: (current) => {
      if (current.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return current;
      const next = reconcile(current, expected);
      changed = !equalJson(next, current);
      return next;
    },
  });
  if (changed) logger.info({ kind: expected.kind, name }, 'default RBAC object reconciled');
}

/** Labels and annotations: the existing values win, missing keys are added. */
function withMetadata(existing: KubeObject, expected: KubeObject): KubeObject {
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...stringMap(expected.metadata.labels), ...stringMap(existing.metadata.labels) },
      annotations: { ...stringMap(expected.metadata.annotations), ...stringMap(existing.metadata.annotations) },
    },
  };
}

function reconcileRole(existing: KubeObject, expected: KubeObject): KubeObject {
  const next = withMetadata(existing, expected);
  const expectedAggregation = asObj(expected.aggregationRule);
  if (expectedAggregation !== undefined) {
    // Aggregated roles' rules are the aggregation controller's; only their selectors are reconciled.
    const have = objArray(asObj(existing.aggregationRule)?.clusterRoleSelectors);
    const missing = objArray(expectedAggregation.clusterRoleSelectors).filter((want) => !have.some((h) => equalJson(h, want)));
    if (missing.length > 0) next.aggregationRule = { clusterRoleSelectors: [...have, ...missing] };
    return next;
  }
  const haveRules = readRole(existing)?.rules ?? [];
  const wantRules = readRole(expected)?.rules ?? [];
  // As Kubernetes' reconciliation: the permissions missing, one verb on one resource each.
  const { missing } = covers(haveRules, wantRules);
  if (missing.length > 0) next.rules = [...objArray(existing.rules), ...missing.map(ruleObject)];
  return next;
}

function reconcileBinding(existing: KubeObject, expected: KubeObject): KubeObject {
  const next = withMetadata(existing, expected);
  const have = objArray(existing.subjects);
  const same = (a: Record<string, unknown>, b: Record<string, unknown>) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
  const missing = objArray(expected.subjects).filter((want) => !have.some((h) => same(h, want)));
  if (missing.length > 0) next.subjects = [...have, ...missing];
  return next;
}
