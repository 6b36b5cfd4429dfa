import type { IncomingHttpHeaders } from 'node:http';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { UserInfo } from './authenticate.js';
import type { AuthorizationAttributes, Authorizer } from './authorize.js';

/**
 * Kubernetes' impersonation filter (docs/rbac.md § Impersonation): `Impersonate-User`,
 * `Impersonate-Group` (repeatable), `Impersonate-Uid` and `Impersonate-Extra-<key>` headers make
 * the request act as someone else, provided the caller may `impersonate` each of them: users,
 * groups and service accounts in the core group, uids and userextras in authentication.k8s.io.
 * The impersonated user is then authenticated as Kubernetes makes it, `system:authenticated`
 * (or, for system:anonymous, `system:unauthenticated`) added.
 */
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const EXTRA_PREFIX = 'impersonate-extra-';

function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : value.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** An extra's key: the header's suffix, percent-decoded (so keys may hold `/`), lower case. */
function extraKey(suffix: string): string {
  try {
    return decodeURIComponent(suffix).toLowerCase();
  } catch (err) {
    if (!(err instanceof URIError)) throw err;
    throw errors.badRequest(`invalid Impersonate-Extra header key: ${JSON.stringify(suffix)}`);
  }
}

/** Whether the request asks to impersonate anyone at all. */
export function asksImpersonation(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((h) => h === 'impersonate-user' || h === 'impersonate-group' || h === 'impersonate-uid' || h.startsWith(EXTRA_PREFIX));
}

interface Wanted {
  target: { group: string; resource: string; name: string };
  subresource?: string;
  namespace?: string;
}

function check(authorize: Authorizer, caller: UserInfo, wanted: Wanted): void {
  const attributes: AuthorizationAttributes = {
    user: caller,
    verb: 'impersonate',
    isResource: true,
    group: wanted.target.group,
    resource: wanted.target.resource,
    subresource: wanted.subresource,
    namespace: wanted.namespace,
    name: wanted.target.name,
    path: '',
  };
  if (authorize(attributes).allowed) return;
  const denied = errors.forbidden(caller.name, 'impersonate', wanted.target, wanted.namespace);
  if (wanted.subresource === undefined) throw denied;
  // The subresource (a userextras key) is named in the reason only, as Kubernetes words it.
  const resource = `resource "${wanted.target.resource}"`;
  throw errors.forbiddenMessage(denied.status.message.replace(resource, `resource "${wanted.target.resource}/${wanted.subresource}"`), wanted.target);
}

/** The user the request acts as: the caller, or whom it impersonates once each part is allowed. */
export function impersonatedUser(headers: IncomingHttpHeaders, caller: UserInfo, authorize: Authorizer): UserInfo {
  if (!asksImpersonation(headers)) return caller;
  const name = typeof headers['impersonate-user'] === 'string' ? headers['impersonate-user'].trim() : '';
  const groups = headerValues(headers, 'impersonate-group');
  const uid = typeof headers['impersonate-uid'] === 'string' ? headers['impersonate-uid'].trim() : '';
  const extra: Record<string, string[]> = {};
  for (const header of Object.keys(headers)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    extra[extraKey(header.slice(EXTRA_PREFIX.length))] = headerValues(headers, header);
  }
  if (name === '') throw errors.badRequest('requested impersonation of groups, uid or extra without impersonating a user');

  const serviceAccount = name.startsWith(SERVICE_ACCOUNT_PREFIX) ? name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':') : [];
  if (serviceAccount.length === 2 && serviceAccount.every((part) => part !== '')) {
    const [namespace = '', account = ''] = serviceAccount;
    check(authorize, caller, { target: { group: '', resource: 'serviceaccounts', name: account }, namespace });
    if (groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    check(authorize, caller, { target: { group: '', resource: 'users', name } });
  }
  for (const group of headerValues(headers, 'impersonate-group')) check(authorize, caller, { target: { group: '', resource: 'groups', name: group } });
  if (uid !== '') check(authorize, caller, { target: { group: 'authentication.k8s.io', resource: 'uids', name: uid } });
  for (const [key, values] of Object.entries(extra)) {
    for (const value of values) check(authorize, caller, { target: { group: 'authentication.k8s.io', resource: 'userextras', name: value }, subresource: key });
  }
  const implicit = name === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated';
  if (!groups.includes(implicit)) groups.push(implicit);
  return { name, groups, ...(uid === '' ? {} : { uid }), ...(Object.keys(extra).length === 0 ? {} : { extra }) };
}
