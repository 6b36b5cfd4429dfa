import { performance } from 'node:perf_hooks';
import { adminOnlyAuthorizer, type AuthorizationAttributes, type Authorizer } from '../../cloudcore/apiserver/auth/authorize.js';
import { ObjectStore } from '../../cloudcore/apiserver/index.js';
import { SharedInformerFactory } from '../../cloudcore/informers/index.js';
import { createRbac } from '../../cloudcore/rbac/index.js';
import { rbacInformers } from '../../cloudcore/rbac/informer-source.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../../cloudcore/rbac/bootstrap-policy.js';
import { aggregatedRules } from '../../cloudcore/controllers/clusterrole-aggregation/aggregated-rules.js';
import { createMemoryStore } from '../../cloudcore/storage/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { silentLogger } from '../../shared/logging.js';
import { formatTable, rate, ratio, type ReportRow } from '../shared/index.js';

export const RBAC_BENCHMARK_USAGE = 'rbac [--namespaces N] [--seconds S]   RBAC decisions per second over the informer caches, beside the admin-only baseline';

const GROUP = 'rbac.authorization.k8s.io';

/**
 * How fast the API's authorizer decides (docs/rbac.md § Enforcement), in process: the default
 * policy plus, in each of N namespaces, a team bound to `edit` and a user to `view`. Figures:
 * decisions per second for an allowed request, a refused one (every binding of the namespace and
 * cluster walked), and the baseline measured in the same run, the admin-only authorizer the API
 * had before RBAC.
 */
export async function runRbacBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const namespaces = numberFlag(argv, '--namespaces', 200);
  const seconds = numberFlag(argv, '--seconds', 2);
  const informers = new SharedInformerFactory(new ObjectStore(createMemoryStore()), silentLogger());
  const rbac = createRbac(informers);
  fill(rbacInformers(informers), namespaces);
  const attributes = (user: string, groups: string[], namespace: string, verb: string): AuthorizationAttributes => ({
    user: { name: user, groups: [...groups, 'system:authenticated'] }, verb, isResource: true, group: 'apps', resource: 'deployments', subresource: undefined, namespace, name: undefined, path: '',
  });
  const last = `ns-${namespaces - 1}`;
  const cases: Array<{ figure: string; authorize: Authorizer; request: AuthorizationAttributes; allowed: boolean }> = [
    { figure: 'baseline: admin-only, system:masters', authorize: adminOnlyAuthorizer, request: attributes('admin', ['system:masters'], last, 'create'), allowed: true },
    { figure: 'RBAC: system:masters shortcut', authorize: rbac.authorizer, request: attributes('admin', ['system:masters'], last, 'create'), allowed: true },
    { figure: 'RBAC: allowed by a RoleBinding (edit)', authorize: rbac.authorizer, request: attributes('someone', [`team-${namespaces - 1}`], last, 'create'), allowed: true },
    { figure: 'RBAC: refused (its namespace and cluster bindings walked)', authorize: rbac.authorizer, request: attributes('viewer-0', [], last, 'create'), allowed: false },
  ];
  const rows: ReportRow[] = [];
  let baseline = 0;
  for (const c of cases) {
    if (signal.aborted) return 1;
    if (c.authorize(c.request).allowed !== c.allowed) throw new Error(`${c.figure}: expected allowed=${c.allowed}`);
    const perSecond = measure(() => c.authorize(c.request), seconds);
    if (baseline === 0) baseline = perSecond;
    rows.push({ figure: c.figure, measured: rate(perSecond), goal: 'reported', status: baseline === perSecond ? 'baseline' : `${ratio(baseline / perSecond)} the baseline's cost` });
  }
  console.log(`rbac: ${namespaces} namespaces, ${namespaces * 2} RoleBindings, the default ClusterRoles and bindings; ${seconds} s per figure`);
  for (const line of formatTable(rows, 'vs baseline')) console.log(line);
  return 0;
}

function measure(decide: () => unknown, seconds: number): number {
  const until = performance.now() + seconds * 1000;
  let count = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) decide();
    count += 1000;
  }
  return count / seconds;
}

function fill(caches: ReturnType<typeof rbacInformers>, namespaces: number): void {
  let revision = 0;
  const add = (informer: { apply(e: unknown): void }, object: KubeObject) =>
    informer.apply({ type: 'ADDED', object, previous: undefined, revision: ++revision, objectJson: () => JSON.stringify(object) });
  const roles = bootstrapClusterRoles();
  for (const role of roles) {
    const rules = aggregatedRules(role, roles);
    add(caches.clusterRoles, rules === undefined ? role : { ...role, rules });
  }
  // Aggregates of aggregates (admin holds edit's rules): a second pass, as the controller converges.
  for (const role of roles) {
    const rules = aggregatedRules(role, caches.clusterRoles.list());
    if (rules !== undefined) add(caches.clusterRoles, { ...role, rules });
  }
  for (const binding of bootstrapClusterRoleBindings()) add(caches.clusterRoleBindings, binding);
  for (let i = 0; i < namespaces; i++) {
    const binding = (name: string, role: string, subject: Record<string, string>): KubeObject => ({
      apiVersion: `${GROUP}/v1`, kind: 'RoleBinding', metadata: { name, namespace: `ns-${i}` }, roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: GROUP, ...subject }],
    });
    add(caches.roleBindings, binding('team-edit', 'edit', { kind: 'Group', name: `team-${i}` }));
    add(caches.roleBindings, binding('viewer', 'view', { kind: 'User', name: `viewer-${i}` }));
  }
}

function numberFlag(argv: string[], flag: string, fallback: number): number {
  const index = argv.indexOf(flag);
  const value = index >= 0 ? Number(argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} must be a positive number`);
  return value;
}
