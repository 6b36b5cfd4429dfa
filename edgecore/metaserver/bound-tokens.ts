import type { KeyObject } from 'node:crypto';
import { ISSUER_OBJECT_NAME, issuerObjectSchema, SERVICE_ACCOUNT_ISSUER_KIND } from '../../shared/protocol/index.js';
import { keysFromJwks, looksLikeJwt, serviceAccountGroups, serviceAccountUsername, verifyServiceAccountToken } from '../../shared/serviceaccount/index.js';
import type { EdgeStore } from '../metamanager/index.js';
import type { Caller, TokenAuthenticator } from './access.js';

/** `system:authenticated`: every authenticated user is in it (Kubernetes adds it too). */
const AUTHENTICATED_GROUP = 'system:authenticated';

/**
 * Recognizes the cloud's pod-bound service-account tokens (docs/edge-metaserver.md § Access,
 * docs/protocol.md R40): signature, issuer, audience and time against the issuer object the cloud
 * sent (edge.db), then, as the API server does, the service account (same uid) and the object the
 * token is bound to must still exist, here in edge.db. So it works the same with the cloud away.
 */
export function boundTokenAuthenticator(store: EdgeStore, now: () => number = Date.now): TokenAuthenticator {
  let keys: { version: string; map: Map<string, KeyObject> } | undefined;
  return (token) => {
    if (!looksLikeJwt(token)) return undefined;
    const stored = store.objects.get(SERVICE_ACCOUNT_ISSUER_KIND, '', ISSUER_OBJECT_NAME);
    const issuer = issuerObjectSchema.safeParse(stored?.object);
    if (!issuer.success || stored === undefined) return undefined;
    if (keys?.version !== stored.resourceVersion) keys = { version: stored.resourceVersion, map: keysFromJwks(issuer.data.jwks) };
    const verified = verifyServiceAccountToken(token, { keys: keys.map, issuer: issuer.data.issuer, audiences: issuer.data.apiAudiences, now: Math.floor(now() / 1000) });
    if (!verified.ok) return undefined;
    const claims = verified.value['kubernetes.io'];
    const account = store.objects.get('ServiceAccount', claims.namespace, claims.serviceaccount.name);
    if (account === undefined || account.uid !== claims.serviceaccount.uid) return undefined;
    if (claims.pod !== undefined && !exists(store, 'Pod', claims.namespace, claims.pod)) return undefined;
    if (claims.secret !== undefined && !exists(store, 'Secret', claims.namespace, claims.secret)) return undefined;
    const caller: Caller = {
      kind: 'bound-token',
      namespace: claims.namespace,
      name: claims.serviceaccount.name,
      user: { name: serviceAccountUsername(claims.namespace, claims.serviceaccount.name), groups: [...serviceAccountGroups(claims.namespace), AUTHENTICATED_GROUP] },
    };
    return caller;
  };
}

function exists(store: EdgeStore, kind: string, namespace: string, bound: { name: string; uid: string }): boolean {
  const object = store.objects.get(kind, namespace, bound.name);
  return object !== undefined && object.uid === bound.uid;
}
