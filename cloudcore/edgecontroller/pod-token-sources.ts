import { isRecord, type KubeObject } from '../../shared/k8s/types.js';

/** One projected serviceAccountToken source of a pod (docs/protocol.md R40). */
export interface TokenSource {
  volume: string;
  path: string;
  /** Empty: the API's own audiences (TokenRequest's default). */
  audience: string;
  expirationSeconds: number;
}

/** The API's default, as on Kubernetes (ServiceAccountTokenProjection.expirationSeconds). */
export const DEFAULT_EXPIRATION_SECONDS = 3600;

/** Every serviceAccountToken source in the pod's projected volumes, in spec order. */
export function tokenSourcesOf(pod: KubeObject): TokenSource[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const out: TokenSource[] = [];
  for (const volume of Array.isArray(spec.volumes) ? spec.volumes.filter(isRecord) : []) {
    if (typeof volume.name !== 'string' || !isRecord(volume.projected) || !Array.isArray(volume.projected.sources)) continue;
    for (const source of volume.projected.sources.filter(isRecord)) {
      const token = source.serviceAccountToken;
      if (!isRecord(token) || typeof token.path !== 'string' || token.path === '') continue;
      const seconds = typeof token.expirationSeconds === 'number' && Number.isInteger(token.expirationSeconds) ? token.expirationSeconds : DEFAULT_EXPIRATION_SECONDS;
      out.push({ volume: volume.name, path: token.path, audience: typeof token.audience === 'string' ? token.audience : '', expirationSeconds: seconds });
    }
  }
  return out;
}

/** The pod's service account: spec.serviceAccountName, the deprecated spec.serviceAccount, or `default`. */
export function serviceAccountNameOf(pod: KubeObject): string {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') return spec.serviceAccountName;
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') return spec.serviceAccount;
  return 'default';
}
