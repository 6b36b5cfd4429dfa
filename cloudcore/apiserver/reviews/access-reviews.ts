import { invalid, required, type FieldError } from '../../../shared/k8s/field-errors.js';
import { asObj, str } from '../../../shared/k8s/object-access.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { UserInfo } from '../auth/authenticate.js';
import type { AuthorizationAttributes, Authorizer } from '../auth/authorize.js';
import type { ResourceRequest } from '../handlers/context.js';
import { expectedApiVersion, readObjectBody } from '../handlers/decode-object.js';

/**
 * SelfSubjectAccessReview, SubjectAccessReview and LocalSubjectAccessReview: "may this user do
 * this?", answered by the API's own authorizer chain, as `kubectl auth can-i` asks it
 * (docs/rbac.md § Reviews). The answer is the request echoed with a status; nothing is stored.
 */
type Flavour = 'self' | 'subject' | 'local';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => str(v)) : [];
}

function extraOf(value: unknown): Record<string, string[]> | undefined {
  const extra = asObj(value);
  if (extra === undefined) return undefined;
  return Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, strings(v)]));
}

/** ValidateSubjectAccessReviewSpec and its self/local variants, with Kubernetes' messages. */
function validateSpec(spec: Record<string, unknown>, flavour: Flavour, namespace: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const resource = asObj(spec.resourceAttributes);
  const nonResource = asObj(spec.nonResourceAttributes);
  if (resource === undefined && nonResource === undefined) {
    errs.push(required('spec.resourceAttributes', 'one of resourceAttributes or nonResourceAttributes must be specified'));
  }
  if (resource !== undefined && nonResource !== undefined) {
    errs.push(invalid('spec.nonResourceAttributes', nonResource, 'cannot be specified in combination with resourceAttributes'));
  }
  if (flavour === 'subject' && str(spec.user) === '' && strings(spec.groups).length === 0) {
    errs.push(invalid('spec.user', str(spec.user), 'at least one of user or group must be specified'));
  }
  if (flavour === 'local') {
    if (nonResource !== undefined) errs.push(invalid('spec.nonResourceAttributes', nonResource, 'disallowed on this kind of request'));
    if (resource !== undefined && str(resource.namespace) !== namespace) {
      errs.push(invalid('spec.resourceAttributes.namespace', str(resource.namespace), 'must match metadata.namespace'));
    }
  }
  return errs;
}

/** The attributes the spec asks about, as the request pipeline would have built them. */
export function attributesOf(spec: Record<string, unknown>, user: UserInfo): AuthorizationAttributes {
  const resource = asObj(spec.resourceAttributes);
  if (resource !== undefined) {
    const optional = (v: unknown): string | undefined => (str(v) === '' ? undefined : str(v));
    return {
      user,
      verb: str(resource.verb),
      isResource: true,
      group: str(resource.group),
      resource: str(resource.resource),
      subresource: optional(resource.subresource),
      namespace: optional(resource.namespace),
      name: optional(resource.name),
      path: '',
    };
  }
  const nonResource = asObj(spec.nonResourceAttributes) ?? {};
  return { user, verb: str(nonResource.verb), isResource: false, group: '', resource: '', subresource: undefined, namespace: undefined, name: undefined, path: str(nonResource.path) };
}

export function createAccessReviewHandler(authorize: Authorizer, flavour: Flavour): (r: ResourceRequest) => Promise<void> {
  return async (r) => {
    const review = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
    const spec = asObj(review.spec) ?? {};
    if (flavour === 'local') {
      const resource = asObj(spec.resourceAttributes);
      // An empty namespace in a local review means the review's own namespace.
      if (resource !== undefined && str(resource.namespace) === '') resource.namespace = r.info.namespace;
    }
    const problems = validateSpec(spec, flavour, r.info.namespace);
    if (problems.length > 0) throw errors.invalid(r.def.group, r.def.kind, review.metadata.name ?? '', problems);
    const user: UserInfo =
      flavour === 'self'
        ? r.user
        : { name: str(spec.user), groups: strings(spec.groups), ...(str(spec.uid) === '' ? {} : { uid: str(spec.uid) }), ...(extraOf(spec.extra) ? { extra: extraOf(spec.extra) } : {}) };
    if (flavour === 'self') {
      // A self review asks about the caller; the spec has no user fields to trust.
      delete spec.user;
      delete spec.groups;
    }
    const decision = authorize(attributesOf(spec, user));
    const status: Record<string, unknown> = { allowed: decision.allowed };
    if (decision.reason !== undefined && decision.reason !== '') status.reason = decision.reason;
    const metadata: Record<string, unknown> = { ...review.metadata, creationTimestamp: null };
    if (flavour === 'local') metadata.namespace = r.info.namespace;
    writeJson(r.res, 201, { ...review, metadata, spec, status });
  };
}
