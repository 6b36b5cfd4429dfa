/**
 * A cloudcore's published hub address (docs/failover.md § Publishing): a coordination.k8s.io/v1
 * Lease in kube-system named `outpost-hub-<id>`, labelled `outpost.io/component=cloudhub`, whose
 * annotation `outpost.io/hub-url` is the URL edges dial. It counts while its holder renews it.
 */
import { z } from 'zod';
import type { KubeObject } from '../../shared/k8s/types.js';
import { hubUrlSchema } from '../../shared/protocol/index.js';

export const HUB_LEASE_NAMESPACE = 'kube-system';
export const HUB_LEASE_PREFIX = 'outpost-hub-';
export const HUB_COMPONENT_LABEL = 'outpost.io/component';
export const HUB_COMPONENT = 'cloudhub';
export const HUB_URL_ANNOTATION = 'outpost.io/hub-url';
/** A lease expired for this many durations is deleted by whichever cloudcore sees it. */
export const LONG_EXPIRED_DURATIONS = 3;

export interface HubLease {
  name: string;
  url: string;
  holder: string;
  renewTimeMs: number;
  durationSeconds: number;
}

export function hubLeaseName(id: string): string {
  return `${HUB_LEASE_PREFIX}${id}`;
}

/** Lease.spec's MicroTime: RFC 3339 with microseconds, as Kubernetes writes renewTime. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export function hubLeaseObject(lease: Omit<HubLease, 'renewTimeMs'> & { renewTimeMs: number }): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: lease.name,
      namespace: HUB_LEASE_NAMESPACE,
      labels: { [HUB_COMPONENT_LABEL]: HUB_COMPONENT },
      annotations: { [HUB_URL_ANNOTATION]: lease.url },
    },
    spec: { holderIdentity: lease.holder, leaseDurationSeconds: lease.durationSeconds, renewTime: microTime(lease.renewTimeMs) },
  };
}

const hubLeaseSchema = z.object({
  metadata: z.object({
    name: z.string().startsWith(HUB_LEASE_PREFIX),
    namespace: z.literal(HUB_LEASE_NAMESPACE),
    labels: z.record(z.string(), z.string()).refine((labels) => labels[HUB_COMPONENT_LABEL] === HUB_COMPONENT),
    annotations: z.object({ [HUB_URL_ANNOTATION]: hubUrlSchema }).loose(),
  }),
  spec: z.object({
    holderIdentity: z.string().default(''),
    leaseDurationSeconds: z.number().int().positive(),
    renewTime: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
  }),
});

/** A Lease read from the store (a trust boundary: anyone with RBAC may write leases), or undefined if it is not a hub's. */
export function readHubLease(object: KubeObject): HubLease | undefined {
  const parsed = hubLeaseSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const { metadata, spec } = parsed.data;
  return {
    name: metadata.name,
    url: metadata.annotations[HUB_URL_ANNOTATION] ?? '',
    holder: spec.holderIdentity,
    renewTimeMs: Date.parse(spec.renewTime),
    durationSeconds: spec.leaseDurationSeconds,
  };
}

/** Expired: its holder stopped renewing for longer than leaseDurationSeconds. */
export function isExpired(lease: HubLease, nowMs: number): boolean {
  return lease.renewTimeMs + lease.durationSeconds * 1000 < nowMs;
}

export function isLongExpired(lease: HubLease, nowMs: number): boolean {
  return lease.renewTimeMs + LONG_EXPIRED_DURATIONS * lease.durationSeconds * 1000 < nowMs;
}
