/**
 * The parts of `rbac.authorization.k8s.io/v1` objects the authorizer reads, and the request
 * attributes it decides on. Objects reach the evaluator already validated by the API (cloud) or
 * parsed from edge.db (edge); `readRbacObject` (parse.ts) is the one place they are shaped.
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface Subject {
  kind: string; // User | Group | ServiceAccount
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: string; // Role | ClusterRole
  name: string;
}

export interface Role {
  namespace: string | undefined; // undefined for a ClusterRole
  name: string;
  rules: PolicyRule[];
}

export interface Binding {
  namespace: string | undefined; // undefined for a ClusterRoleBinding
  name: string;
  roleRef: RoleRef;
  subjects: Subject[];
}

/** Who is asking: the authenticated user (name, groups), as the API's authenticators make it. */
export interface RbacUser {
  name: string;
  groups: readonly string[];
}

/** Kubernetes' authorizer.Attributes, as far as RBAC reads them. */
export interface RequestAttributes {
  user: RbacUser;
  verb: string;
  isResource: boolean;
  /** API group ('' for core). */
  group: string;
  resource: string;
  subresource: string | undefined;
  namespace: string | undefined;
  name: string | undefined;
  /** The request path, for non-resource requests. */
  path: string;
}

/**
 * Where the evaluator finds RBAC objects: informers' caches on the cloud, edge.db at the edge.
 * Every method answers from memory (the authorizer is synchronous, as the API's request step is).
 */
export interface RbacSource {
  clusterRoleBindings(): Iterable<Binding>;
  roleBindings(namespace: string): Iterable<Binding>;
  clusterRole(name: string): Role | undefined;
  role(namespace: string, name: string): Role | undefined;
}

export type RbacDecision = { allowed: true; reason: string } | { allowed: false; reason: string };
