/**
 * The bootstrap endpoint (DESIGN § Processes; docs in the contract): HTTPS with the
 * cloud's serving certificate. `GET /ca.crt` needs nothing, `POST /v1/join` needs a join token,
 * `POST /v1/renew` needs the node's current certificate as TLS client certificate. Client
 * certificates are requested but not required, so the first two work for a node with none yet.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { requestUrl } from '../../shared/apimachinery/endpoints/request-url.js';
import { errorMessage } from '../../shared/errors.js';
import { closeServer } from '../../shared/http-server.js';
import { uniqueHubUrls } from '../../shared/protocol/index.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { ApiContext } from '../apiserver/index.js';
import { parseJoinToken } from '../../certs/index.js';
import { createJoinRateLimit } from './join-rate-limit.js';
import { hubUrlFor } from './hub-url.js';
import { joinNode, type BootstrapRefusal, type SignerSettings } from './join-steps.js';
import { readJsonBody } from './request-body.js';
import type { NodeCertificateStore } from './node-certificate-registry.js';
import { renewNode } from './renew-steps.js';
import { joinRequestSchema, renewRequestSchema } from './request-schemas.js';

export interface BootstrapServerOptions {
  host: string;
  port: number;
  tls: { certPem: string; keyPem: string };
  api: ApiContext;
  registry: NodeCertificateStore;
  signer: SignerSettings;
  /** CloudHub's bound port, told to joining edges; undefined while there is no hub. */
  hubPort: () => number | undefined;
  /** The published hub address list, this cloudcore first (protocol.md R45); absent means only this hub. */
  hubs?: () => string[];
  maxFailedTokenAttemptsPerMinute: number;
  logger: Logger;
}

export interface BootstrapServer extends Module {
  address(): AddressInfo;
  /**
   * POST /v1/renew as CloudHub also serves it on the hub port (docs/failover.md § Certificate
   * renewal): an edge that only knows the hub list can renew against any cloudcore.
   */
  serveRenewal(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createBootstrapServer(options: BootstrapServerOptions): BootstrapServer {
  const { api, registry, signer, logger } = options;
  const rateLimit = createJoinRateLimit(options.maxFailedTokenAttemptsPerMinute, 60_000);
  let server: Server | undefined;

  /** R45: the hub as this request reached us first, then the other cloudcores' published hubs. */
  const hubListFor = (req: IncomingMessage): string[] => {
    const own = hubUrlFor(req, options.hubPort());
    return uniqueHubUrls([own, ...(options.hubs?.() ?? []).slice(1)]);
  };

  const handleJoin = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const source = req.socket.remoteAddress ?? 'unknown';
    const body = await readJsonBody(req, joinRequestSchema);
    if (!body.ok) return sendRefusal(res, body.refusal);
    const request = body.value;
    const parsedToken = parseJoinToken(request.token);
    const tokenId = parsedToken.ok ? parsedToken.value.id : undefined;
    const tokenWait = rateLimit.beforeJoin(tokenId);
    if (tokenWait > 0) {
      res.setHeader('Retry-After', String(tokenWait));
      sendRefusal(res, { status: 429, code: 'TooManyAttempts', message: `too many failed token attempts from any address with token ${tokenId ?? ''}; try again in ${tokenWait} s` });
      return;
    }
    const joined = await joinNode(api, registry, signer, request);
    if (!joined.ok) {
      logger.warn({ node: request.nodeName, source, code: joined.refusal.code }, `join refused: ${joined.refusal.message}`);
      const addressWait = joined.refusal.tokenFailure === true ? rateLimit.afterFailure(tokenId, source) : 0;
      if (addressWait > 0) {
        res.setHeader('Retry-After', String(addressWait));
        sendRefusal(res, { status: 429, code: 'TooManyAttempts', message: `too many failed token attempts from ${source}; try again in ${addressWait} s` });
        return;
      }
      return sendRefusal(res, joined.refusal);
    }
    logger.info({ node: request.nodeName, source, serial: joined.value.serial, notAfter: joined.value.notAfter }, 'node joined');
    sendJson(res, 200, { certificate: joined.value.certPem, caCertificate: signer.ca.certPem, hubUrl: hubUrlFor(req, options.hubPort()), hubs: hubListFor(req) });
  };

  const handleRenew = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const socket = req.socket as TLSSocket;
    const body = await readJsonBody(req, renewRequestSchema);
    if (!body.ok) return sendRefusal(res, body.refusal);
    const peer = { authorized: socket.authorized, authorizationError: socket.authorizationError?.toString(), certificate: socket.getPeerCertificate() };
    const renewed = await renewNode(api, registry, signer, peer, body.value);
    if (!renewed.ok) {
      logger.warn({ code: renewed.refusal.code, source: socket.remoteAddress }, `renewal refused: ${renewed.refusal.message}`);
      return sendRefusal(res, renewed.refusal);
    }
    logger.info({ serial: renewed.value.serial, notAfter: renewed.value.notAfter }, 'node certificate renewed');
    sendJson(res, 200, { certificate: renewed.value.certPem, hubs: hubListFor(req) });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestUrl(req.url)?.pathname;
    if (path === undefined) return sendRefusal(res, { status: 400, code: 'BadRequest', message: 'the request target is not a URL path' });
    const routes: Record<string, { method: string; run: () => Promise<void> | void }> = {
      '/ca.crt': { method: 'GET', run: () => sendText(res, 200, signer.ca.certPem, 'application/x-pem-file') },
      '/v1/join': { method: 'POST', run: () => handleJoin(req, res) },
      '/v1/renew': { method: 'POST', run: () => handleRenew(req, res) },
      '/healthz': { method: 'GET', run: () => sendText(res, 200, 'ok', 'text/plain') },
    };
    const target = routes[path];
    if (target === undefined) return sendRefusal(res, { status: 404, code: 'NotFound', message: `no such endpoint: ${path}` });
    if (req.method !== target.method) {
      res.setHeader('Allow', target.method);
      return sendRefusal(res, { status: 405, code: 'MethodNotAllowed', message: `${path} takes ${target.method}` });
    }
    await target.run();
  };

  return {
    name: 'bootstrap',
    async start() {
      const created = createServer({ cert: options.tls.certPem, key: options.tls.keyPem, ca: signer.ca.certPem, requestCert: true, rejectUnauthorized: false });
      created.on('request', (req: IncomingMessage, res: ServerResponse) => {
        route(req, res).catch((err: unknown) => {
          logger.error({ err: errorMessage(err), path: req.url }, 'bootstrap request failed');
          if (!res.headersSent) sendRefusal(res, { status: 500, code: 'Internal', message: 'internal error; see the cloudcore log' });
          else res.destroy();
        });
      });
      // A client that fails the TLS handshake never reaches a handler; it is not our error.
      created.on('tlsClientError', (err) => logger.debug({ reason: errorMessage(err) }, 'bootstrap TLS handshake failed'));
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(options.port, options.host, () => {
          created.off('error', reject);
          resolve();
        });
      });
      server = created;
      logger.info({ port: (created.address() as AddressInfo).port }, 'bootstrap endpoint listening');
    },
    async stop() {
      const running = server;
      server = undefined;
      if (running === undefined) return;
      await closeServer(running);
    },
    address() {
      if (server === undefined) throw new Error('bootstrap server is not running');
      return server.address() as AddressInfo;
    },
    serveRenewal: (req, res) => handleRenew(req, res),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendRefusal(res: ServerResponse, refusal: BootstrapRefusal): void {
  sendJson(res, refusal.status, { code: refusal.code, message: refusal.message });
}

