import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';

export interface AutoCompactionOptions {
  /** How often to compact. K3s compacts every 5 minutes. */
  intervalMs?: number;
  /** How many recent revisions to keep. K3s keeps 1000. */
  keepRevisions?: number;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_KEEP_REVISIONS = 1000;

/**
 * Compacts to (current - keepRevisions) on a timer, as K3s' kine does, so history (and with it
 * the database) stays bounded under churn. Returns the function that stops the timer.
 */
export function startAutoCompaction(
  options: AutoCompactionOptions,
  currentRevision: () => number,
  compact: (revision: number) => Promise<void>,
  logger: Logger,
): () => void {
  const intervalMs = options.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  const keep = options.keepRevisions ?? DEFAULT_KEEP_REVISIONS;
  const timer = setInterval(() => {
    const target = currentRevision() - keep;
    if (target <= 0) return;
    compact(target).catch((err: unknown) => {
      logger.error({ err: errorMessage(err), revision: target }, 'automatic compaction failed');
    });
  }, intervalMs);
  timer.unref(); // compaction alone never keeps the process alive
  return () => clearInterval(timer);
}
