import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { deleteObject, PreconditionFailed, type ApiContext } from '../../apiserver/index.js';
import type { SharedInformerFactory } from '../../informers/index.js';
import { expiryReason } from './csr-expiry.js';

export interface CsrCleanerOptions {
  api: ApiContext;
  informers: SharedInformerFactory;
  logger: Logger;
  /** How often to sweep (Kubernetes: every hour). */
  sweepMs?: number;
}

const SWEEP_MS = 60 * 60 * 1000;

/**
 * Kubernetes' csrcleaner (docs/users.md § Clean-up): deletes CertificateSigningRequests that have
 * done their work, sweeping the shared informer's cache on a timer, as the event TTL controller
 * does. The issued certificates stay valid: a CSR is a request, not the credential.
 */
export function createCsrCleanerController(options: CsrCleanerOptions): Module {
  const { api: ctx, logger } = options;
  const def = ctx.registry.get('certificates.k8s.io', 'v1', 'certificatesigningrequests');
  if (def === undefined) throw new Error('certificates.k8s.io/v1 certificatesigningrequests are not served');
  const requests = options.informers.informerFor(def);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweep = async (): Promise<void> => {
    if (!requests.hasSynced) return;
    const now = ctx.now().getTime();
    for (const csr of [...requests.list()]) {
      const reason = expiryReason(csr, now);
      if (reason === undefined) continue;
      const name = csr.metadata.name ?? '';
      try {
        await deleteObject(ctx, def, undefined, name, { gracePeriodSeconds: undefined, preconditionUid: csr.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
        logger.info({ csr: name, reason }, 'certificate signing request removed');
      } catch (err) {
        // Gone already, or re-created under the name since the cache saw it: not this sweep's to delete.
        if (!isNotFound(err) && !(err instanceof PreconditionFailed)) throw err;
      }
    }
  };

  const tick = (): void => {
    running = sweep().catch((err: unknown) => logger.warn({ err }, 'certificate signing request sweep failed'));
    void running.finally(() => {
      running = undefined;
    });
  };

  return {
    name: 'csr-cleaner',
    async start() {
      await requests.synced;
      tick();
      timer = setInterval(tick, options.sweepMs ?? SWEEP_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
