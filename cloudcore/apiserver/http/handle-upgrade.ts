/**
 * A request that asks to switch protocols (websocket, SPDY) on a resource path such as
 * pods/{name}/exec. It is authenticated and authorized exactly as a normal request (client
 * certificate or bearer token), then handed to the module that registered the subresource. Until
 * a handler switches protocols, an error is an ordinary HTTP response on the raw socket.
 */
import { requestLabels, trackLongRunning } from '../metrics.js';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UserInfo } from '../auth/authenticate.js';
import type { ApiContext } from '../handlers/context.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { authenticateStep, authorizeStep, type RequestPipelineContext } from './handle-request.js';
import { requestUrl } from '../../../shared/apimachinery/endpoints/request-url.js';
import { parseRequestInfo, type RequestInfo } from '../../../shared/apimachinery/endpoints/request-info.js';
import { ApiError, errors, HiddenInternalError } from '../../../shared/apimachinery/errors/status.js';

/** One upgrade request, after authentication and authorization. */
export interface UpgradeRequest {
  ctx: ApiContext;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  info: RequestInfo;
  def: ResourceDefinition;
  user: UserInfo;
  query: URLSearchParams;
}

export type UpgradeHandler = (r: UpgradeRequest) => Promise<void>;

/**
 * Subresources that stream both ways: Kubernetes authorizes their websocket GET as `create`
 * (KEP-4006, AuthorizePodWebsocketUpgradeCreatePermission), the verb their SPDY POST always had.
 */
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

export async function handleUpgrade(ctx: RequestPipelineContext, handlers: Map<string, UpgradeHandler>, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  // A client that resets its connection must not take the process down with an unhandled error.
  socket.on('error', (err) => ctx.api.logger.debug({ err: err.message, url: req.url }, 'upgrade connection failed'));
  let info: RequestInfo | undefined;
  // 101 once switched, else the refusal's code (docs/logging.md § Access log).
  let status = 101;
  const access = ctx.accessLog?.begin(req, socket, () => status);
  try {
    const url = requestUrl(req.url);
    if (url === undefined) throw errors.badRequest(`the request target is not a URL path: ${JSON.stringify((req.url ?? '').slice(0, 200))}`);
    info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    if (info.isResource && info.subresource !== undefined && STREAMING_SUBRESOURCES.has(info.subresource)) info.verb = 'create';
    const user = authenticateStep(ctx, req, info);
    access?.setUser(user?.name);
    authorizeStep(ctx, user, info, req.method ?? 'GET');
    const def = info.isResource ? ctx.api.registry.get(info.group, info.version, info.resource) : undefined;
    const handler = def === undefined || user === undefined ? undefined : handlers.get(`${def.resource}/${info.subresource ?? ''}`);
    if (def === undefined || user === undefined || handler === undefined || info.namespace === undefined) throw errors.badRequest(`${url.pathname} cannot be upgraded to another protocol`);
    const labels = requestLabels(info, info.verb ?? 'create');
    trackLongRunning(ctx.metrics, labels, socket);
    access?.streamStarted();
    await handler({ ctx: ctx.api, req, socket, head, info, def, user, query: url.searchParams });
    // An upgraded stream answers 101 Switching Protocols, as kube-apiserver counts it.
    ctx.metrics.requests.inc({ ...labels, code: '101' });
  } catch (err) {
    if (!(err instanceof ApiError)) ctx.api.logger.error({ err, url: req.url, method: req.method }, 'upgrade request failed');
    else if (err instanceof HiddenInternalError) ctx.api.logger.error({ detail: err.detail, url: req.url, method: req.method }, 'upgrade request failed');
    const apiError = err instanceof ApiError ? err : errors.hiddenInternal(err instanceof Error ? err.message : String(err));
    status = apiError.code;
    writeUpgradeRefusal(socket, apiError.code, JSON.stringify(apiError.status), 'application/json');
    ctx.metrics.requests.inc({ ...requestLabels(info, info?.verb ?? 'create'), code: String(apiError.code) });
  }
}

/** An HTTP answer instead of the switch, written on the raw socket, which then closes. */
export function writeUpgradeRefusal(socket: Duplex, code: number, body: string, contentType: string): void {
  if (socket.destroyed || !socket.writable) return;
  const head = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`, `Content-Type: ${contentType}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Cache-Control: no-cache, private', 'Connection: close'];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
