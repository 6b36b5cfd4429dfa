/**
 * The roles and bindings every Kubernetes cluster starts with (kube-apiserver's RBAC bootstrap
 * policy, "default roles and role bindings" and "user-facing roles" in Kubernetes' RBAC
 * documentation), written from those documented rules (docs/rbac.md § Default roles).
 * Kinds Outpost does not serve yet are named all the same, so the roles mean what they mean elsewhere.
 */
import type { KubeObject } from '../../shared/k8s/types.js';
import type { PolicyRule } from '../../shared/rbac/index.js';
import { RBAC_GROUP } from './informer-source.js';

export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' });

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rule(verbs: string[], groups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups: groups, resources, resourceNames: [], nonResourceURLs: [] };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs };
}

const AGGREGATE_TO_ADMIN: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(READ_WRITE, [RBAC_GROUP], ['rolebindings', 'roles']),
];

const AGGREGATE_TO_EDIT: PolicyRule[] = [
  // Reading what escalates (secrets, exec) is edit's, not view's.
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
];

const AGGREGATE_TO_VIEW: PolicyRule[] = [
  rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  // Reading namespaces in a namespace means reading that one namespace.
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

interface RoleSpec {
  name: string;
  labels?: Record<string, string>;
  rules?: PolicyRule[];
  aggregateFrom?: 'admin' | 'edit' | 'view';
}

const CLUSTER_ROLES: RoleSpec[] = [
  { name: 'cluster-admin', rules: [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])] },
  {
    name: 'system:discovery',
    rules: [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])],
  },
  {
    name: 'system:basic-user',
    rules: [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])],
  },
  { name: 'system:public-info-viewer', rules: [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])] },
  {
    name: 'system:service-account-issuer-discovery',
    rules: [urls(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])],
  },
  { name: 'admin', aggregateFrom: 'admin' },
  { name: 'edit', labels: AGGREGATE_TO('admin'), aggregateFrom: 'edit' },
  { name: 'view', labels: AGGREGATE_TO('edit'), aggregateFrom: 'view' },
  { name: 'system:aggregate-to-admin', labels: AGGREGATE_TO('admin'), rules: AGGREGATE_TO_ADMIN },
  { name: 'system:aggregate-to-edit', labels: AGGREGATE_TO('edit'), rules: AGGREGATE_TO_EDIT },
  { name: 'system:aggregate-to-view', labels: AGGREGATE_TO('view'), rules: AGGREGATE_TO_VIEW },
];

const CLUSTER_ROLE_BINDINGS: Array<{ name: string; groups: string[] }> = [
  { name: 'cluster-admin', groups: ['system:masters'] },
  { name: 'system:discovery', groups: ['system:authenticated'] },
  { name: 'system:basic-user', groups: ['system:authenticated'] },
  { name: 'system:public-info-viewer', groups: ['system:authenticated', 'system:unauthenticated'] },
  { name: 'system:service-account-issuer-discovery', groups: ['system:serviceaccounts'] },
];

function metadata(name: string, labels: Record<string, string> = {}): KubeObject['metadata'] {
  return { name, labels: { ...BOOTSTRAP_LABEL, ...labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } };
}

/** The default ClusterRoles as API objects. */
export function bootstrapClusterRoles(): KubeObject[] {
  return CLUSTER_ROLES.map((spec) => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: metadata(spec.name, spec.labels),
    ...(spec.aggregateFrom === undefined
      ? { rules: (spec.rules ?? []).map(ruleObject) }
      : { aggregationRule: { clusterRoleSelectors: [{ matchLabels: AGGREGATE_TO(spec.aggregateFrom) }] }, rules: [] }),
  }));
}

/** The default ClusterRoleBindings, each binding the ClusterRole of the same name. */
export function bootstrapClusterRoleBindings(): KubeObject[] {
  return CLUSTER_ROLE_BINDINGS.map((spec) => ({
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: metadata(spec.name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: spec.name },
    subjects: spec.groups.map((name) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name })),
  }));
}

/** A rule in its API form: empty lists are left out, as Kubernetes writes them. */
export function ruleObject(rule: PolicyRule): Record<string, string[]> {
  const out: Record<string, string[]> = { verbs: rule.verbs };
  if (rule.apiGroups.length > 0) out.apiGroups = rule.apiGroups;
  if (rule.resources.length > 0) out.resources = rule.resources;
  if (rule.resourceNames.length > 0) out.resourceNames = rule.resourceNames;
  if (rule.nonResourceURLs.length > 0) out.nonResourceURLs = rule.nonResourceURLs;
  return out;
}
