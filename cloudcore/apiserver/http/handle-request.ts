import type { IncomingMessage, ServerResponse } from 'node:http';
import { wantsPretty } from '../../../shared/apimachinery/endpoints/bool-param.js';
import { authenticate, type TokenLookup, type UserInfo } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import { impersonatedUser } from '../auth/impersonate.js';
import type { ApiContext, ResourceRequest } from '../handlers/context.js';
import { unservedSubresource } from './unserved-subresource.js';
import { handleCreate } from '../handlers/create.js';
import { handleDelete, handleDeleteCollection } from '../handlers/delete.js';
import { handlePatch } from '../handlers/patch.js';
import { handleGet, handleList } from '../handlers/read.js';
import { handleUpdate } from '../handlers/update.js';
import { handleWatch } from '../handlers/watch.js';
import { isLongRunning, requestLabels, trackLongRunning, type ApiMetrics } from '../metrics.js';
import { isPublicPath, serveNonResource, type NonResourceContext } from './non-resource.js';
import { requestUrl } from '../../../shared/apimachinery/endpoints/request-url.js';
import { parseRequestInfo, type RequestInfo, type Verb } from '../../../shared/apimachinery/endpoints/request-info.js';
import { markPretty, writeError } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors, HiddenInternalError } from '../../../shared/apimachinery/errors/status.js';
import type { AccessLog } from '../access-log/index.js';

export interface RequestPipelineContext {
  api: ApiContext;
  nonResource: NonResourceContext;
  lookupToken: TokenLookup;
  authorize: Authorizer;
  metrics: ApiMetrics;
  /** Extra resource handlers by "resource/subresource" (e.g. "pods/log"), registered by other modules. */
  subresourceHandlers: Map<string, (r: ResourceRequest) => Promise<void>>;
  /** Create-only virtual resources (the reviews of docs/rbac.md § Reviews) by "group/resource". */
  resourceHandlers: Map<string, (r: ResourceRequest) => Promise<void>>;
  /** A line per request (docs/logging.md § Access log). */
  accessLog?: AccessLog;
}

const VERB_HANDLERS: Record<Verb, (r: ResourceRequest) => Promise<void>> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

/**
 * One request, as a list of named steps in the manner of aedes' handlers: parse the URL,
 * authenticate, authorize, then either serve a non-resource path or dispatch the resource verb.
 */
export async function handleRequest(ctx: RequestPipelineContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  let verb = 'unknown';
  let info: RequestInfo | undefined;
  const access = ctx.accessLog?.begin(req, res, () => res.statusCode);
  try {
    const url = requestUrl(req.url);
    if (url === undefined) throw errors.badRequest(`the request target is not a URL path: ${JSON.stringify((req.url ?? '').slice(0, 200))}`);
    info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    verb = info.verb ?? (req.method ?? 'GET').toLowerCase();
    if (wantsPretty(url.searchParams, req.headers['user-agent'])) markPretty(res);
    const user = authenticateStep(ctx, req, info);
    access?.setUser(user?.name);
    authorizeStep(ctx, user, info, req.method ?? 'GET');
    if (!info.isResource) {
      if (await serveNonResource(ctx.nonResource, req, res, url.pathname)) return;
      throw errors.notFoundPath(url.pathname);
    }
    if (isLongRunning(info)) {
      access?.streamStarted();
      trackLongRunning(ctx.metrics, requestLabels(info, verb, ctx.api.registry.get(info.group, info.version, info.resource) !== undefined), res);
    }
    await dispatchResourceStep(ctx, req, res, info, user as UserInfo, url.searchParams);
  } catch (err) {
    if (!(err instanceof Error && 'status' in err)) ctx.api.logger.error({ err, url: req.url, method: req.method }, 'request failed');
    else if (err instanceof HiddenInternalError) ctx.api.logger.error({ detail: err.detail, url: req.url, method: req.method }, 'request failed');
    writeError(res, err);
  } finally {
    const labels = requestLabels(info, verb, info !== undefined && ctx.api.registry.get(info.group, info.version, info.resource) !== undefined);
    ctx.metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    if (!(info !== undefined && isLongRunning(info))) ctx.metrics.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

export function authenticateStep(ctx: RequestPipelineContext, req: IncomingMessage, info: RequestInfo): UserInfo | undefined {
  const user = authenticate(req, ctx.lookupToken);
  if (user === undefined && !isPublicPath(info.path)) throw errors.unauthorized();
  // Impersonation headers act as another user once each part is allowed (docs/rbac.md § Impersonation).
  return user === undefined ? undefined : impersonatedUser(req.headers, user, ctx.authorize);
}

export function authorizeStep(ctx: RequestPipelineContext, user: UserInfo | undefined, info: RequestInfo, method: string): void {
  if (user === undefined) return; // only public paths get here anonymously
  if (isPublicPath(info.path)) return;
  const decision = ctx.authorize({
    user,
    verb: info.verb ?? method.toLowerCase(),
    isResource: info.isResource,
    group: info.group,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
    path: info.path,
  });
  if (decision.allowed) return;
  if (!info.isResource) throw errors.forbiddenMessage(`forbidden: User "${user.name}" cannot ${method.toLowerCase()} path "${info.path}"`);
  // A named namespace is its own namespace, as in Kubernetes: `namespaces "x" is forbidden: … in the namespace "x"`.
  const namespaced = info.namespace !== undefined && (info.resource !== 'namespaces' || info.name !== undefined);
  const target = { group: info.group, resource: info.resource, ...(info.name ? { name: info.name } : {}) };
  const denied = errors.forbidden(user.name, info.verb ?? method.toLowerCase(), target, namespaced ? info.namespace : undefined);
  if (!info.subresource) throw denied;
  // A subresource is named in the reason only: `pods "web" is forbidden: User "u" cannot create resource "pods/exec" …`.
  throw errors.forbiddenMessage(denied.status.message.replace(`resource "${info.resource}"`, `resource "${info.resource}/${info.subresource}"`), target);
}

async function dispatchResourceStep(
  ctx: RequestPipelineContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  user: UserInfo,
  query: URLSearchParams,
): Promise<void> {
  const def = ctx.api.registry.get(info.group, info.version, info.resource);
  if (def === undefined || info.verb === undefined) throw errors.notFoundPath(info.path);
  // Namespaced objects need a namespace in the path, except for lists and watches across all.
  const acrossNamespaces = info.verb === 'list' || info.verb === 'watch' || info.verb === 'deletecollection';
  if (def.namespaced && info.namespace === undefined && !(acrossNamespaces && info.name === undefined)) throw errors.notFoundPath(info.path);
  if (!def.namespaced && info.namespace !== undefined && def.resource !== 'namespaces') throw errors.notFoundPath(info.path);
  if (def.resource === 'namespaces' && def.group === '' && info.name === undefined) info.namespace = undefined;
  if (!def.verbs.includes(info.verb) && info.subresource === undefined) {
    throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  const r: ResourceRequest = { ctx: ctx.api, req, res, info, def, user, query };
  const own = info.subresource === undefined ? ctx.resourceHandlers.get(`${def.group}/${def.resource}`) : undefined;
  if (own !== undefined) return own(r);
  if (info.subresource !== undefined && info.subresource !== 'status' && info.subresource !== 'scale') {
    const extra = ctx.subresourceHandlers.get(`${def.resource}/${info.subresource}`);
    await (extra ?? unservedSubresource)(r);
    return;
  }
  await VERB_HANDLERS[info.verb](r);
}
