import { createHash } from 'node:crypto';
import { encodeUpsertFrame, ISSUER_OBJECT_NAME, SERVICE_ACCOUNT_ISSUER_KIND, SERVICE_ACCOUNT_TOKEN_KIND, SERVICE_ACCOUNTS_API_VERSION, tokenObjectName, tokenObjectUid } from '../../shared/protocol/index.js';
import type { ServiceAccountTokenIssuer } from '../serviceaccounts/types.js';
import type { NodeChange } from './downstream-frames.js';
import type { TokenSource } from './pod-token-sources.js';

/** What a token is issued for: one pod bound to a node, with its service account and sources. */
export interface TokenHolder {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  serviceAccountName: string;
  tokenSources: readonly TokenSource[];
}

export interface TokenLookups {
  serviceAccountUid(namespace: string, name: string): string | undefined;
  nodeUid(name: string): string | undefined;
}

/** The admission default (kube-api-access volumes) that Kubernetes extends (docs/service-accounts.md § At the edge). */
export const EXTENDABLE_EXPIRATION_SECONDS = 3607;
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;
/** kubelet re-requests a token after 80% of its lifetime, or after 24 h, whichever is first. */
const MAX_TOKEN_AGE_MS = 24 * 3600 * 1000;

interface Held {
  change: NodeChange;
  serviceAccountUid: string;
  refreshAtMs: number;
}

const route = { source: 'edgecontroller', target: 'metamanager', resource: 'serviceaccounttokens', operation: 'upsert' } as const;

/**
 * The pod-bound tokens the cloud issues for the pods of its edges (docs/protocol.md R40): one per
 * (pod, volume, path), kept in memory only (a restarted cloud issues new ones, which the
 * inventory's version difference then sends), re-issued before 80% of their lifetime.
 */
export class PodTokens {
  private readonly held = new Map<string, Map<string, Held>>();
  /** Token versions: increasing, and distinct across restarts of the cloud (R9 compares with ≠). */
  private sequence: number;

  constructor(
    private readonly issuer: ServiceAccountTokenIssuer,
    private readonly lookups: TokenLookups,
    private readonly now: () => number = Date.now,
  ) {
    this.sequence = this.now() * 1000;
  }

  /** The pod's current tokens, issuing those it lacks (or whose service account was re-created). */
  tokensOf(pod: TokenHolder): NodeChange[] {
    if (pod.tokenSources.length === 0) return [];
    const saUid = this.lookups.serviceAccountUid(pod.namespace, pod.serviceAccountName);
    // Kubernetes refuses a TokenRequest for a missing service account; it is issued once the account exists.
    if (saUid === undefined) return [];
    let perPod = this.held.get(pod.uid);
    if (perPod === undefined) this.held.set(pod.uid, (perPod = new Map()));
    const out: NodeChange[] = [];
    for (const source of pod.tokenSources) {
      const key = `${source.volume}/${source.path}`;
      let held = perPod.get(key);
      if (held === undefined || held.serviceAccountUid !== saUid) perPod.set(key, (held = this.issue(pod, source, saUid)));
      out.push(held.change);
    }
    return out;
  }

  /** The pod is gone from its node: its token objects go too (uid and name for the delete frames). */
  forget(podUid: string): Array<{ uid: string }> {
    const perPod = this.held.get(podUid);
    this.held.delete(podUid);
    return [...(perPod?.values() ?? [])].map((held) => ({ uid: held.change.uid }));
  }

  /** Re-issues the tokens of these pods that are due (R40: only while their edge is connected). */
  rotate(pods: Iterable<TokenHolder>): NodeChange[] {
    const now = this.now();
    const out: NodeChange[] = [];
    for (const pod of pods) {
      const perPod = this.held.get(pod.uid);
      if (perPod === undefined) continue;
      for (const source of pod.tokenSources) {
        const key = `${source.volume}/${source.path}`;
        const held = perPod.get(key);
        if (held === undefined || held.refreshAtMs > now) continue;
        const next = this.issue(pod, source, held.serviceAccountUid);
        perPod.set(key, next);
        out.push(next.change);
      }
    }
    return out;
  }

  /** The issuer object (keys, `iss`, audiences): its version follows its content (R40). */
  issuerChange(): NodeChange {
    const body = { issuer: this.issuer.issuer, apiAudiences: [...this.issuer.apiAudiences], jwks: this.issuer.jwks() };
    const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const uid = `sai-${createHash('sha256').update(this.issuer.issuer).digest('hex').slice(0, 32)}`;
    const resourceVersion = BigInt(`0x${digest.slice(0, 15)}`).toString();
    const object = { apiVersion: SERVICE_ACCOUNTS_API_VERSION, kind: SERVICE_ACCOUNT_ISSUER_KIND, metadata: { name: ISSUER_OBJECT_NAME, uid, resourceVersion }, ...body };
    return changeOf('serviceaccountissuers', object, uid, resourceVersion);
  }

  private issue(pod: TokenHolder, source: TokenSource, serviceAccountUid: string): Held {
    const extended = source.expirationSeconds === EXTENDABLE_EXPIRATION_SECONDS;
    const nodeUid = this.lookups.nodeUid(pod.nodeName);
    const issued = this.issuer.issue({
      namespace: pod.namespace,
      serviceAccountName: pod.serviceAccountName,
      serviceAccountUid,
      audiences: source.audience === '' ? [] : [source.audience],
      expirationSeconds: extended ? EXTENDED_EXPIRATION_SECONDS : source.expirationSeconds,
      ...(extended ? { warnAfterSeconds: source.expirationSeconds } : {}),
      boundObject: { kind: 'Pod', name: pod.name, uid: pod.uid },
      ...(nodeUid === undefined ? {} : { node: { name: pod.nodeName, uid: nodeUid } }),
    });
    const uid = tokenObjectUid(pod.uid, source.volume, source.path);
    const resourceVersion = String(++this.sequence);
    const object = {
      apiVersion: SERVICE_ACCOUNTS_API_VERSION,
      kind: SERVICE_ACCOUNT_TOKEN_KIND,
      metadata: { name: tokenObjectName(pod.name, pod.uid, source.volume, source.path), namespace: pod.namespace, uid, resourceVersion },
      spec: { podUid: pod.uid, podName: pod.name, volume: source.volume, path: source.path, serviceAccountName: pod.serviceAccountName },
      status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
    };
    const lifetimeMs = Math.min(source.expirationSeconds * 800, MAX_TOKEN_AGE_MS);
    return { change: changeOf('serviceaccounttokens', object, uid, resourceVersion), serviceAccountUid, refreshAtMs: this.now() + lifetimeMs };
  }
}

function changeOf(resource: string, object: object, uid: string, resourceVersion: string): NodeChange {
  let frame: string | undefined;
  return { uid, resourceVersion, frame: () => (frame ??= encodeUpsertFrame({ ...route, resource }, resourceVersion, JSON.stringify(object))) };
}
