import { createServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { writeError } from '../../shared/apimachinery/endpoints/index.js';
import { ApiError } from '../../shared/apimachinery/errors/index.js';
import { OutpostError } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { EdgeStore } from '../metamanager/index.js';
import { ensureTokenFile, fileTokenAuthenticator, type TokenAuthenticator } from './access.js';
import { boundTokenAuthenticator } from './bound-tokens.js';
import { edgeRbacSource } from './edge-rbac.js';
import { dualProtocolListener, type DualListener } from './dual-listener.js';
import { createEdgeMetrics, type DeviceMetricsSample } from './metrics.js';
import { startPodNetworkListener, type PodNetworkListener } from './pod-network-listener.js';
import { route, type Listener, type RouteContext } from './routes.js';
import { servedResources } from './served-resources.js';
import { ensureServingCert } from './serving-cert.js';
import { WatchHub } from './watch-hub.js';

export interface MetaServerOptions {
  store: EdgeStore;
  /** 0 picks a free port; the address is 127.0.0.1 (and the pod bridge's gateway, servePodNetwork). */
  port: number;
  /** `<E>/edges/<N>/metaserver.token`: created (0600) at first start. */
  tokenFile: string;
  /** Where the serving certificate for HTTPS on the same port lives (the edge's pki/). */
  pkiDir: string;
  logger: Logger;
  buildVersion: string;
  /** The hub's connection phase, for /metrics. */
  connectionPhase: () => string;
  bookmarkIntervalMs?: number;
  now?: () => Date;
  /** More ways to accept a bearer token for secrets: edged's edge-local service-account tokens. */
  serviceAccountAuthenticators?: readonly TokenAuthenticator[];
  /** Device twin figures for /metrics (docs/device-twins.md § Observability). */
  deviceMetrics?: () => DeviceMetricsSample;
  /** How the pod-network listener looks for its address (unit tests use another loopback address). */
  podNetworkAddress?: { present?: (address: string) => boolean; pollMs?: number };
}

export interface MetaServer extends Module {
  /** http://127.0.0.1:PORT once started. */
  url(): string;
  /** https://127.0.0.1:PORT: the same API over TLS, for callers that send a bearer token. */
  tlsUrl(): string;
  /** The CA file that signed the serving certificate (kubectl --certificate-authority). */
  caFile(): string;
  /** That CA's PEM, as in-cluster clients must trust it ('' before start). */
  caPem(): string;
  /**
   * Serve pods on the pod network too (docs/edge-metaserver.md § Access): makes sure the serving
   * certificate names `address` (the bridge gateway), then listens on address:port (HTTPS only)
   * as soon as the address exists on this host. Resolves once the certificate is ready.
   */
  servePodNetwork(address: string): Promise<void>;
  readonly openWatches: number;
}

/**
 * MetaServer (issue 5 § Edge: MetaServer): a read-only Kubernetes API over edge.db on 127.0.0.1,
 * and for pod-network pods on the bridge gateway (docs/edge-metaserver.md § Access), with the
 * edge's own resourceVersions, plus edgecore's /metrics and /healthz. It reads only the
 * local store, so it answers the same with the cloud unreachable.
 */
export function createMetaServer(options: MetaServerOptions): MetaServer {
  const hub = new WatchHub(options.store);
  const metrics = createEdgeMetrics({
    store: options.store, connectionPhase: options.connectionPhase, openWatches: () => hub.size,
    ...(options.deviceMetrics === undefined ? {} : { devices: options.deviceMetrics }),
  });
  let server: Server | undefined;
  let listener: DualListener | undefined;
  let port = 0;
  let caFile = '';
  let caPem = '';
  let authenticators: readonly TokenAuthenticator[] = [];
  let loopbackHttps: HttpsServer | undefined;
  let podNetwork: { address: string; server: HttpsServer; listener: PodNetworkListener } | undefined;
  let stopped = false;

  const baseContext = {
    store: options.store,
    now: options.now ?? (() => new Date()),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    resources: servedResources(),
    hub,
    authenticators: () => authenticators,
    buildVersion: options.buildVersion,
    metricsText: () => metrics.text(),
    healthy: () => options.store.db.open && options.store.db.prepare('SELECT 1 AS one').get() !== undefined,
    tokenFile: options.tokenFile,
    rbac: edgeRbacSource(options.store),
  };

  const serveOn = (listener: Listener): Parameters<typeof createServer>[1] => (req, res) => {
    let verb = 'other';
    let resource = '';
    const host = listener.kind === 'loopback' ? '127.0.0.1' : listener.address;
    const ctx: RouteContext = { ...baseContext, listener, serverAddress: () => `${host}:${port}`, noteRequest: (v, r) => ((verb = v), (resource = r)) };
    res.on('close', () => metrics.requests.inc({ verb, resource, code: String(res.statusCode) }));
    route(ctx, req, res).catch((err: unknown) => {
      if (!(err instanceof ApiError)) options.logger.warn({ err: err instanceof Error ? err.message : String(err), url: req.url }, 'metaserver request failed');
      writeError(res, err);
    });
  };

  return {
    name: 'metaserver',
    url: () => `http://127.0.0.1:${port}`,
    tlsUrl: () => `https://127.0.0.1:${port}`,
    caFile: () => caFile,
    caPem: () => caPem,
    async servePodNetwork(address) {
      if (stopped || port === 0) throw new OutpostError('Unavailable', 'MetaServer is not running');
      if (podNetwork?.address === address) return;
      const cert = await ensureServingCert(options.pkiDir, new Date(), [address]);
      if (!cert.ok) throw new OutpostError(cert.code, cert.message);
      const context = { cert: cert.value.certPem, key: cert.value.keyPem };
      // A new CA when the address is new: the loopback listener serves the new certificate at once.
      loopbackHttps?.setSecureContext(context);
      caPem = await readFile(cert.value.caFile, 'utf8');
      await podNetwork?.listener.stop();
      const server = createHttpsServer(context, serveOn({ kind: 'pod-network', address }));
      podNetwork = { address, server, listener: startPodNetworkListener({ server, address, port, logger: options.logger, ...options.podNetworkAddress }) };
    },
    get openWatches() {
      return hub.size;
    },
    async start() {
      stopped = false;
      const token = await ensureTokenFile(options.tokenFile);
      if (!token.ok) throw new OutpostError(token.code, token.message);
      // The cloud's pod-bound JWTs (protocol.md R40) before the edge-local ones: a JWT is never an edge-local token.
      authenticators = [fileTokenAuthenticator(token.value), boundTokenAuthenticator(options.store, () => (options.now ?? (() => new Date()))().getTime()), ...(options.serviceAccountAuthenticators ?? [])];
      const cert = await ensureServingCert(options.pkiDir);
      if (!cert.ok) throw new OutpostError(cert.code, cert.message);
      caFile = cert.value.caFile;
      caPem = await readFile(caFile, 'utf8');
      hub.start();
      const serve = serveOn({ kind: 'loopback' });
      loopbackHttps = createHttpsServer({ cert: cert.value.certPem, key: cert.value.keyPem }, serve);
      listener = dualProtocolListener(createServer(serve), loopbackHttps);
      const s = listener.server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', (err: NodeJS.ErrnoException) =>
          reject(new OutpostError('Unavailable', `MetaServer cannot listen on 127.0.0.1:${options.port}: ${err.message} (choose another with --metaserver-port, 0 for any)`)),
        );
        s.listen(options.port, '127.0.0.1', () => resolve());
      });
      server = s;
      port = (s.address() as AddressInfo).port;
    },
    async stop() {
      stopped = true;
      hub.stop();
      await podNetwork?.listener.stop();
      podNetwork = undefined;
      const s = server;
      const open = listener;
      server = undefined;
      listener = undefined;
      if (s === undefined) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        open?.destroyAll();
      });
    },
  };
}
