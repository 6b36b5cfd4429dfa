/**
 * The service-account tokens of the pods edged runs, and the MetaServer authenticator that
 * recognizes them (edgecore/metaserver access.ts, the `TokenAuthenticator` seam).
 *
 * Unlike Kubernetes' bound tokens (signed JWTs with audience and expiry, from the TokenRequest
 * API), these are opaque: 32 random bytes, base64url, one per pod, valid exactly while the pod
 * exists on this edge, and only against this edge's MetaServer. The token lives in the pod's
 * projected volume (tmpfs); after an edgecore restart the file is read back, so the pod keeps
 * the token it has. Tokens are looked up by their sha256, so the lookup's timing reveals nothing
 * about the secret.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface TokenOwner {
  podUid: string;
  namespace: string;
  serviceAccountName: string;
}

/** What access.ts's Caller is for a service account (kept structural: this module does not import MetaServer). */
export interface ServiceAccountCaller {
  kind: 'service-account';
  namespace: string;
  name: string;
}

export interface ServiceAccountTokens {
  /** The pod's token: the one it has (`existing`, read from its volume) or a new one. */
  issue(owner: TokenOwner, existing?: string): string;
  /** Forgets the pod's token (the pod is gone). */
  revoke(podUid: string): void;
  /** For MetaServer's serviceAccountAuthenticators. */
  authenticate(token: string): ServiceAccountCaller | undefined;
  readonly size: number;
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export function createServiceAccountTokens(): ServiceAccountTokens {
  const byDigest = new Map<string, TokenOwner>();
  const byPod = new Map<string, { token: string; digest: string }>();
  return {
    issue(owner, existing) {
      const held = byPod.get(owner.podUid);
      if (held !== undefined) {
        // The pod's service account cannot change (spec.serviceAccountName is immutable), but stay exact.
        byDigest.set(held.digest, owner);
        return held.token;
      }
      const token = existing !== undefined && TOKEN_PATTERN.test(existing) ? existing : randomBytes(32).toString('base64url');
      const key = digest(token);
      byPod.set(owner.podUid, { token, digest: key });
      byDigest.set(key, owner);
      return token;
    },
    revoke(podUid) {
      const held = byPod.get(podUid);
      if (held === undefined) return;
      byPod.delete(podUid);
      byDigest.delete(held.digest);
    },
    authenticate(token) {
      const owner = byDigest.get(digest(token));
      if (owner === undefined) return undefined;
      return { kind: 'service-account', namespace: owner.namespace, name: owner.serviceAccountName };
    },
    get size() {
      return byPod.size;
    },
  };
}
