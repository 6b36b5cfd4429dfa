/**
 * Removes join tokens that can no longer be used, as Kubernetes' tokencleaner does: an hour after
 * expiry, or a day after revocation for a token that never expires. Until then the Secret stays,
 * so a join with it is told "expired" or "revoked" rather than "unknown".
 */
import { deleteObject, type ApiContext } from '../apiserver/index.js';
import type { SharedInformer } from '../informers/index.js';
import { readTokenSecret, TOKEN_NAMESPACE, type StoredJoinToken } from '../../certs/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';

const EXPIRED_GRACE_MS = 60 * 60 * 1000;
const REVOKED_GRACE_MS = 24 * 60 * 60 * 1000;

export function tokenIsSpent(token: StoredJoinToken, now: Date): boolean {
  if (token.expiresAt !== undefined) return token.expiresAt.getTime() + EXPIRED_GRACE_MS <= now.getTime();
  return token.revokedAt !== undefined && token.revokedAt.getTime() + REVOKED_GRACE_MS <= now.getTime();
}

/** Deletes the spent token Secrets among `candidates` (any Secrets; others are skipped). */
export async function removeSpentTokens(api: ApiContext, candidates: Iterable<KubeObject>, logger: Logger): Promise<number> {
  const secrets = api.registry.get('', 'v1', 'secrets');
  if (secrets === undefined) return 0;
  let removed = 0;
  for (const obj of [...candidates]) {
    if (obj.metadata.namespace !== TOKEN_NAMESPACE) continue;
    const token = readTokenSecret(obj);
    if (!token.ok || !tokenIsSpent(token.value, api.now())) continue;
    await deleteObject(api, secrets, TOKEN_NAMESPACE, obj.metadata.name ?? '', {
      gracePeriodSeconds: undefined,
      preconditionUid: obj.metadata.uid,
      preconditionResourceVersion: undefined,
      propagationPolicy: undefined,
      dryRun: false,
    });
    logger.info({ token: token.value.id }, 'removed a spent join token');
    removed++;
  }
  return removed;
}

/** Sweeps the secrets informer's cache (docs/architecture.md § Conventions: one list-watch per kind). */
export function createTokenCleaner(api: ApiContext, secrets: SharedInformer, logger: Logger, intervalMs = 10 * 60 * 1000): Module {
  let timer: NodeJS.Timeout | undefined;
  const sweep = (): void => {
    removeSpentTokens(api, secrets.list(), logger).catch((err: unknown) => logger.warn({ reason: errorMessage(err) }, 'join token cleanup failed; retrying later'));
  };
  return {
    name: 'token-cleaner',
    async start() {
      timer = setInterval(sweep, intervalMs);
      timer.unref();
      sweep();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
