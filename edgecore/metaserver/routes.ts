import type { IncomingMessage, ServerResponse } from 'node:http';
import { wantsPretty } from '../../shared/apimachinery/endpoints/bool-param.js';
import { markPretty } from '../../shared/apimachinery/endpoints/respond.js';
import { healthChecks, healthPath, serveHealth } from '../../shared/apimachinery/endpoints/health.js';
import {
  aggregatedDiscovery,
  aggregatedVersionWanted,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  staticDiscoverySource,
  versionInfo,
} from '../../shared/apimachinery/discovery/index.js';
import { parseRequestInfo, writeJson } from '../../shared/apimachinery/endpoints/index.js';
import { errors } from '../../shared/apimachinery/errors/index.js';
import { authorizeRbac, type RbacSource } from '../../shared/rbac/index.js';
import { authenticate, callerName, isLoopbackHost, isPodNetworkHost, mayReadSecrets, type Caller, type TokenAuthenticator } from './access.js';
import { handleGet, handleList } from './reads.js';
import type { ReadContext, ResourceCall } from './request.js';
import type { ServedResources } from './served-resources.js';
import { handleWatch } from './watch.js';
import type { WatchHub } from './watch-hub.js';

/** Which listener a request came in on (docs/edge-metaserver.md § Access). */
export type Listener = { kind: 'loopback' } | { kind: 'pod-network'; address: string };

export interface RouteContext extends ReadContext {
  listener: Listener;
  resources: ServedResources;
  hub: WatchHub;
  authenticators: () => readonly TokenAuthenticator[];
  buildVersion: string;
  serverAddress: () => string;
  metricsText: () => Promise<string>;
  healthy: () => boolean;
  tokenFile: string;
  /** What pod-bound tokens are authorized against (docs/edge-metaserver.md § Access). */
  rbac: RbacSource;
  /** Labels for the request counter, filled in as the request is understood. */
  noteRequest: (verb: string, resource: string) => void;
}

/**
 * MetaServer's request steps, in order: loopback Host, authentication, non-resource paths
 * (health, metrics, version, discovery), then resource reads. It is a cache of what the cloud
 * sent, so every write is refused with 405.
 */
export async function route(ctx: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  if (wantsPretty(url.searchParams, req.headers['user-agent'])) markPretty(res);
  checkHost(ctx.listener, req.headers.host);
  const auth = authenticate(req, ctx.authenticators());
  if (!auth.ok) throw errors.unauthorized();
  // A pod on the pod network is not the node's own user: it must bring a credential for all but
  // discovery, /version and health (the rights anonymous loopback callers have are not its).
  if (ctx.listener.kind === 'pod-network' && auth.caller.kind === 'anonymous' && !isOpenPath(path)) throw errors.unauthorized();
  if (await serveNonResource(ctx, req, res, path, auth.caller)) return;

  const info = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
  if (!info.isResource) throw errors.notFoundPath(path);
  const served = ctx.resources.find(info.group, info.version, info.resource);
  ctx.noteRequest(info.verb ?? 'unknown', info.resource);
  if (served === undefined || info.subresource !== undefined) throw errors.notFoundPath(path);
  if (info.verb !== 'get' && info.verb !== 'list' && info.verb !== 'watch') {
    throw errors.methodNotAllowed(`MetaServer is a read-only cache of what the cloud sent this edge: ${info.verb ?? req.method ?? ''} is not allowed; make changes through the cloud API`);
  }
  const namespace = served.def.namespaced ? info.namespace : undefined;
  if (auth.caller.kind === 'bound-token') {
    // A pod's cloud-signed token: RBAC decides, over the objects the cloud sent (protocol.md R41).
    const target = { group: info.group, resource: info.resource, ...(info.name === undefined ? {} : { name: info.name }) };
    const decision = authorizeRbac(ctx.rbac, { user: auth.caller.user, verb: info.verb, isResource: true, group: info.group, resource: info.resource, subresource: undefined, namespace, name: info.name, path });
    if (!decision.allowed) throw errors.forbidden(auth.caller.user.name, info.verb, target, namespace);
  } else if (served.needsCredential && !mayReadSecrets(auth.caller, namespace)) {
    throw errors.forbidden(callerName(auth.caller), info.verb, { group: '', resource: info.resource, ...(info.name === undefined ? {} : { name: info.name }) }, namespace,
      `${info.resource} are served only to callers with a credential: the bearer token in ${ctx.tokenFile}, or a pod's service-account token`);
  }
  const call: ResourceCall = { req, res, query: url.searchParams, path, served, namespace, name: info.name };
  if (info.verb === 'watch') return handleWatch(call, ctx, ctx.hub);
  if (info.verb === 'get') return handleGet(call, ctx);
  return handleList(call, ctx);
}

function checkHost(listener: Listener, host: string | undefined): void {
  if (listener.kind === 'loopback') {
    if (!isLoopbackHost(host)) throw errors.forbiddenMessage(`MetaServer answers only loopback host names, not ${JSON.stringify(host)}`);
  } else if (!isPodNetworkHost(host, listener.address)) {
    throw errors.forbiddenMessage(`MetaServer's pod-network listener answers only the host ${listener.address}, not ${JSON.stringify(host)}`);
  }
}

/** What the pod-network listener answers without a credential: health, /version and discovery. */
function isOpenPath(path: string): boolean {
  return healthPath(path) !== undefined || path === '/version' || path === '/api' || path === '/api/v1' || /^\/apis(?:\/[^/]+(?:\/[^/]+)?)?$/.test(path);
}

async function serveNonResource(ctx: RouteContext, req: IncomingMessage, res: ServerResponse, path: string, caller: Caller): Promise<boolean> {
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  const health = healthPath(path);
  if (health !== undefined) {
    // kube-apiserver's checks and format (docs/kubectl.md § Health), with edge.db as the edge's own check.
    const checks = healthChecks(() => true, [{ name: 'edge-db', check: ctx.healthy }]);
    return serveHealth(res, health.endpoint, checks[health.endpoint], health.checkPath, new URL(req.url ?? '/', 'http://x').searchParams);
  }
  if (path === '/metrics') {
    // The node's figures are for the node: on the pod network only the edge token reads them.
    if (ctx.listener.kind === 'pod-network' && caller.kind !== 'edge-token') throw errors.forbiddenMessage(`${callerName(caller)} cannot read /metrics on the pod network`);
    const text = await ctx.metricsText();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(text);
    return true;
  }
  if (path === '/version') return json(res, versionInfo(ctx.buildVersion));
  if (path === '/api' || path === '/apis') {
    if (!isRead) throw errors.methodNotAllowed(`${req.method ?? ''} is not allowed on ${path}`);
    const legacy = path === '/api';
    // `/apis` lists the device group (and would exist even empty, or every kubectl command fails:
    // docs/kubectl.md § Discovery). A cache lists no subresources.
    const aggregated = aggregatedVersionWanted(req.headers.accept ?? '');
    if (aggregated !== undefined) {
      writeJson(res, 200, aggregatedDiscovery(discoverySource(ctx), legacy, aggregated, { withSubresources: false }), `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`);
      return true;
    }
    return json(res, legacy ? apiVersions(ctx.serverAddress()) : apiGroupList(discoverySource(ctx)));
  }
  if (path === '/api/v1') {
    const list = apiResourceList(discoverySource(ctx), '', 'v1', { withSubresources: false });
    if (list !== undefined) return json(res, list);
  }
  // Legacy discovery of the named groups (the device group): /apis/GROUP and /apis/GROUP/VERSION.
  const named = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (named !== null && isRead) {
    const [, group = '', version] = named;
    const doc = version === undefined ? apiGroup(discoverySource(ctx), group) : apiResourceList(discoverySource(ctx), group, version, { withSubresources: false });
    if (doc !== undefined) return json(res, doc);
  }
  return false;
}

function discoverySource(ctx: RouteContext): ReturnType<typeof staticDiscoverySource> {
  return staticDiscoverySource(ctx.resources.all().map(({ def }) => def));
}

function json(res: ServerResponse, body: unknown): true {
  writeJson(res, 200, body);
  return true;
}
