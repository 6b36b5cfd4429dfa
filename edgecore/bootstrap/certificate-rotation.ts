/**
 * Renews the node certificate while the agent runs: at a random point between 70% and 90% of its
 * lifetime (certs/rotation.ts), over mTLS with the current certificate. A failed attempt is
 * retried with backoff until the certificate expires; after a renewal the files are replaced
 * (node-credentials.ts) and `onRenewed` lets the hub client reconnect with the new pair.
 */
import { certificateWindow, rotationDeadline } from '../../certs/rotation.js';
import { errorMessage, OutpostError, type Result } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import { edgePaths } from './edge-paths.js';
import { readEdgeConfigFile } from './edge-config-file.js';
import { renewCertificate } from './join-cloud.js';
import { loadNodeCredentials, saveNodeCredentials, type NodeCredentials } from './node-credentials.js';

export interface CertificateRotationOptions {
  dataDir: string;
  nodeName: string;
  logger: Logger;
  /** https://HOST:PORT of the bootstrap endpoint; read from config.yaml when absent. */
  bootstrapServer?: string;
  onRenewed?: (credentials: NodeCredentials) => void;
  /**
   * The cloud's hub list (protocol.md R45): when the bootstrap endpoint cannot renew, every
   * cloudcore's hub port can (docs/failover.md § Certificate renewal).
   */
  hubs?: () => readonly string[];
  now?: () => number;
  random?: () => number;
}

/** setTimeout cannot wait longer than ~24.8 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;

export function startCertificateRotation(options: CertificateRotationOptions): Module {
  const { logger, nodeName } = options;
  const now = options.now ?? Date.now;
  const paths = edgePaths(options.dataDir, nodeName);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let server = options.bootstrapServer;
  let retryMs = RETRY_MIN_MS;

  const schedule = (at: number): void => {
    if (stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - now()));
    timer = setTimeout(() => run(at), delay);
  };

  const scheduleFromCertificate = (certPem: string): void => {
    const deadline = rotationDeadline(certificateWindow(certPem), options.random).getTime();
    logger.info({ node: nodeName, renewAt: new Date(deadline).toISOString() }, 'certificate renewal scheduled');
    schedule(deadline);
  };

  const tick = async (at: number): Promise<void> => {
    if (stopped) return;
    if (now() < at) return schedule(at);
    const current = await loadNodeCredentials(paths);
    if (!current.ok) {
      logger.error({ node: nodeName, reason: current.message }, 'cannot renew: node credentials are unreadable');
      return retry(current.message);
    }
    const notAfter = certificateWindow(current.value.certPem).notAfter.getTime();
    if (notAfter <= now()) {
      logger.error({ node: nodeName }, 'node certificate expired before it could be renewed: a token made for this node is needed (outpost token create --node-name NAME)');
      return;
    }
    if (server === undefined) return retry('no bootstrap server known');
    const renewed = await renewAnywhere(server, current.value);
    if (stopped) return;
    if (!renewed.ok) return retry(renewed.message);
    await saveNodeCredentials(paths, renewed.value);
    retryMs = RETRY_MIN_MS;
    logger.info({ node: nodeName, notAfter: certificateWindow(renewed.value.certPem).notAfter }, 'node certificate renewed');
    try {
      options.onRenewed?.(renewed.value);
    } catch (err) {
      logger.error({ node: nodeName, reason: errorMessage(err) }, 'onRenewed failed');
    }
    scheduleFromCertificate(renewed.value.certPem);
  };

  /** The bootstrap endpoint first, then each hub of the list, until one answers. */
  const renewAnywhere = async (first: string, current: NodeCredentials): Promise<Result<NodeCredentials>> => {
    let outcome = await renewCertificate(first, current, nodeName);
    for (const hub of options.hubs?.() ?? []) {
      if (outcome.ok || stopped) break;
      logger.warn({ node: nodeName, reason: outcome.message, next: hub }, 'renewal failed; trying another cloudcore');
      outcome = await renewCertificate(hub.replace(/^wss:/, 'https:'), current, nodeName);
    }
    return outcome;
  };

  const retry = (reason: string): void => {
    logger.warn({ node: nodeName, reason, retryInMs: retryMs }, 'certificate renewal failed; retrying');
    schedule(now() + retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  };

  const run = (at: number): void => {
    void tick(at).catch((err: unknown) => retry(errorMessage(err)));
  };

  return {
    name: 'certificate-rotation',
    async start() {
      stopped = false;
      if (server === undefined) {
        const config = await readEdgeConfigFile(paths);
        if (!config.ok && config.code === 'Invalid') throw new OutpostError('ConfigInvalid', `certificate rotation: ${config.message}`);
        server = config.ok ? config.value.settings.bootstrapServer : undefined;
      }
      const current = await loadNodeCredentials(paths);
      // A node provisioned by hand (credentials and config written by an operator) did not join
      // through the bootstrap endpoint, so there is nowhere to renew: rotation stays off.
      if (server === undefined || !current.ok) {
        logger.warn({ node: nodeName, reason: current.ok ? `no ${paths.bootstrapFile}` : current.message }, 'certificate rotation is off');
        return;
      }
      scheduleFromCertificate(current.value.certPem);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
