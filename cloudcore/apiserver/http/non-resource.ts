import type { IncomingMessage, ServerResponse } from 'node:http';
import { aggregatedDiscovery, aggregatedVersionWanted, apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from '../../../shared/apimachinery/discovery/documents.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE, type OpenApiDocuments } from '../discovery/openapi.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import { healthChecks, healthPath, serveHealth, type HealthCheck } from '../../../shared/apimachinery/endpoints/health.js';

export interface NonResourceContext {
  registry: ResourceRegistry;
  openapi: OpenApiDocuments;
  buildVersion: string;
  serverAddress: () => string;
  metricsText: () => Promise<string>;
  ready: () => boolean;
  /** Checks only /readyz runs, such as the datastore's. */
  readyChecks?: readonly HealthCheck[];
  /** Paths other modules serve (the service-account issuer's OIDC discovery), by exact path. */
  extraPaths?: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

/**
 * Paths anyone may read without credentials, as on Kubernetes; plus the service-account issuer's
 * discovery, which Kubernetes grants through RBAC and Outpost serves to anyone so that outside
 * verifiers can fetch the keys (docs/service-accounts.md § Issuer discovery).
 */
export function isPublicPath(path: string): boolean {
  return /^\/(version|healthz|readyz|livez)(\/.*)?$/.test(path) || path === '/.well-known/openid-configuration' || path === '/openid/v1/jwks';
}

/** Serves discovery, OpenAPI, version, health and metrics. Returns false when the path is not one. */
export async function serveNonResource(ctx: NonResourceContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === '/version') return json(res, versionInfo(ctx.buildVersion));
  const health = healthPath(clean);
  if (health !== undefined) {
    return serveHealth(res, health.endpoint, healthChecks(ctx.ready, [], ctx.readyChecks)[health.endpoint], health.checkPath, new URL(req.url ?? '/', 'http://x').searchParams);
  }
  const extra = ctx.extraPaths?.get(clean);
  if (extra !== undefined) {
    extra(req, res);
    return true;
  }
  if (clean === '/metrics') return text(res, 200, await ctx.metricsText(), 'text/plain; version=0.0.4');
  if (clean === '/api' || clean === '/apis') {
    const legacy = clean === '/api';
    const aggregated = aggregatedVersionWanted(req.headers.accept ?? '');
    if (aggregated !== undefined) {
      writeJson(res, 200, aggregatedDiscovery(ctx.registry, legacy, aggregated), `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`);
      return true;
    }
    return json(res, legacy ? apiVersions(ctx.serverAddress()) : apiGroupList(ctx.registry));
  }
  const parts = clean.split('/').filter((p) => p !== '');
  if (parts[0] === 'api' && parts.length === 2) return jsonOr404(res, apiResourceList(ctx.registry, '', parts[1] ?? ''), clean);
  if (parts[0] === 'apis' && parts.length === 2) return jsonOr404(res, apiGroup(ctx.registry, parts[1] ?? ''), clean);
  if (parts[0] === 'apis' && parts.length === 3) return jsonOr404(res, apiResourceList(ctx.registry, parts[1] ?? '', parts[2] ?? ''), clean);
  if (clean === '/openapi/v2' || clean === '/swagger-2.0.0.pb-v1') return openApiV2(ctx, req, res, clean);
  if (clean === '/openapi/v3') return json(res, ctx.openapi.root());
  if (clean.startsWith('/openapi/v3/')) {
    const doc = ctx.openapi.document(clean.slice('/openapi/v3/'.length));
    if (doc === undefined) throw errors.notFoundPath(clean);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.text), 'Cache-Control': 'public, immutable' });
    res.end(doc.text);
    return true;
  }
  if (parts[0] === 'api' || parts[0] === 'apis') return false;
  throw errors.notFoundPath(clean);
}

/**
 * kubectl 1.27/1.28 read `/openapi/v2` as protobuf (and fall back to the old
 * `/swagger-2.0.0.pb-v1` path, also protobuf); anyone else gets JSON.
 */
function openApiV2(ctx: NonResourceContext, req: IncomingMessage, res: ServerResponse, path: string): true {
  const doc = ctx.openapi.v2();
  const protobuf = path === '/swagger-2.0.0.pb-v1' || (req.headers.accept ?? '').includes(OPENAPI_V2_PROTOBUF);
  const body = protobuf ? doc.protobuf : doc.json;
  res.writeHead(200, { 'Content-Type': protobuf ? OPENAPI_V2_PROTOBUF_RESPONSE : 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

function json(res: ServerResponse, body: unknown): true {
  writeJson(res, 200, body);
  return true;
}

function jsonOr404(res: ServerResponse, body: unknown, path: string): true {
  if (body === undefined) throw errors.notFoundPath(path);
  return json(res, body);
}

function text(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): true {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}
