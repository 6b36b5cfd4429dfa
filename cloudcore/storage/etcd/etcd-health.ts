import type { Etcd3 } from 'etcd3';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';

export const HEALTH_PROBE_INTERVAL_MS = 5_000;

/**
 * The `etcd` readiness check (docs/datastore.md § Health): as kube-apiserver's etcd check, a read
 * of one key with a short deadline, here every few seconds in the background so that /readyz
 * answers at once from the last result. Returns the check and the function that stops probing.
 */
export function startEtcdHealthProbe(client: Etcd3, key: Buffer, logger: Logger, intervalMs = HEALTH_PROBE_INTERVAL_MS): { healthy: () => boolean; stop: () => void } {
  let healthy = true;
  let busy = false;
  const probe = (): void => {
    if (busy) return;
    busy = true;
    client.kv
      .range({ key, count_only: true }, { deadline: Date.now() + Math.min(intervalMs, 2_000) })
      .then(() => {
        if (!healthy) logger.info('etcd answers again');
        healthy = true;
      })
      .catch((err: unknown) => {
        if (healthy) logger.warn({ err: errorMessage(err) }, 'etcd does not answer; /readyz fails its etcd check');
        healthy = false;
      })
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(probe, intervalMs);
  timer.unref();
  return { healthy: () => healthy, stop: () => clearInterval(timer) };
}
