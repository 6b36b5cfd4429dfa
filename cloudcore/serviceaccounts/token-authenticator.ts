import type { KeyObject } from 'node:crypto';
import type { KubeObject } from '../../shared/k8s/types.js';
import { keysFromJwks, looksLikeJwt, serviceAccountGroups, verifyServiceAccountToken, type ServiceAccountClaims } from '../../shared/serviceaccount/index.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import type { ServiceAccountTokenIssuer } from './types.js';

/** Synchronous reads of the objects a token names: the process's shared informer caches. */
export interface BoundObjectSource {
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  node(name: string): KubeObject | undefined;
}

export interface ServiceAccountAuthenticatorOptions {
  issuer: ServiceAccountTokenIssuer;
  objects: BoundObjectSource;
  now?: () => Date;
}

/** Kubernetes keeps accepting tokens of an object deleted less than this long ago (pkg/serviceaccount/claims.go). */
const DELETION_GRACE_SECONDS = 60;

/** The `extra` keys Kubernetes gives a service-account user (docs/service-accounts.md § Authentication). */
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

/**
 * A bearer token that is a service-account JWT of this issuer → the service account's user, as
 * kube-apiserver's service-account authenticator: signature, issuer, one of the API's audiences,
 * time (60 s leeway), and then the objects the token names must still exist with the token's
 * uids: the ServiceAccount, the Pod or Secret it is bound to, and the pod's Node. A token of a
 * deleted or re-created object is refused (401). Anything that is not such a token is undefined.
 */
export function createServiceAccountAuthenticator(options: ServiceAccountAuthenticatorOptions): (token: string) => UserInfo | undefined {
  const now = options.now ?? (() => new Date());
  let keys: ReadonlyMap<string, KeyObject> | undefined;
  return (token) => {
    if (!looksLikeJwt(token)) return undefined;
    keys ??= keysFromJwks(options.issuer.jwks());
    const seconds = Math.floor(now().getTime() / 1000);
    const verified = verifyServiceAccountToken(token, { keys, issuer: options.issuer.issuer, audiences: options.issuer.apiAudiences, now: seconds });
    if (!verified.ok) return undefined;
    return userOfClaims(verified.value, options.objects, seconds);
  };
}

function stillValid(object: KubeObject | undefined, uid: string, nowSeconds: number): boolean {
  if (object === undefined || object.metadata.uid !== uid) return false;
  const deleted = object.metadata.deletionTimestamp;
  if (typeof deleted !== 'string') return true;
  return Date.parse(deleted) / 1000 > nowSeconds - DELETION_GRACE_SECONDS;
}

function userOfClaims(claims: ServiceAccountClaims, objects: BoundObjectSource, nowSeconds: number): UserInfo | undefined {
  const k = claims['kubernetes.io'];
  const { namespace } = k;
  if (claims.sub !== `system:serviceaccount:${namespace}:${k.serviceaccount.name}`) return undefined;
  if (!stillValid(objects.serviceAccount(namespace, k.serviceaccount.name), k.serviceaccount.uid, nowSeconds)) return undefined;
  if (k.secret !== undefined && !stillValid(objects.secret(namespace, k.secret.name), k.secret.uid, nowSeconds)) return undefined;
  if (k.pod !== undefined && !stillValid(objects.pod(namespace, k.pod.name), k.pod.uid, nowSeconds)) return undefined;
  if (k.node !== undefined && !stillValid(objects.node(k.node.name), k.node.uid, nowSeconds)) return undefined;
  const extra: Record<string, string[]> = {};
  if (k.pod !== undefined) {
    extra[EXTRA_POD_NAME] = [k.pod.name];
    extra[EXTRA_POD_UID] = [k.pod.uid];
  }
  if (k.node !== undefined) {
    extra[EXTRA_NODE_NAME] = [k.node.name];
    extra[EXTRA_NODE_UID] = [k.node.uid];
  }
  if (claims.jti !== undefined) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
  return {
    name: claims.sub,
    uid: k.serviceaccount.uid,
    groups: serviceAccountGroups(namespace),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
