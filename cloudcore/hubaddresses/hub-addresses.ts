/**
 * Publishes this cloudcore's hub address and follows everyone's (docs/failover.md § Publishing):
 * its own Lease is created at start, renewed every renewIntervalMs and deleted at stop; the
 * others come from the shared Lease informer, and a lease whose holder stopped renewing leaves
 * the list once expired and the store once long expired. The list is this cloudcore first, then
 * the others in URL order, so every cloudcore hands out the same tail (protocol.md R45).
 */
import { errorMessage } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { uniqueHubUrls } from '../../shared/protocol/index.js';
import { ApiError, createIfAbsent, deleteObject, updateObject, type ApiContext } from '../apiserver/index.js';
import type { SharedInformerFactory } from '../informers/index.js';
import { HUB_LEASE_NAMESPACE, HUB_LEASE_PREFIX, HUB_URL_ANNOTATION, hubLeaseName, hubLeaseObject, isExpired, isLongExpired, microTime, readHubLease, type HubLease } from './hub-lease.js';

export interface HubAddressesOptions {
  api: ApiContext;
  informers: SharedInformerFactory;
  /** Stable per data dir (hub-id.ts). */
  id: string;
  /** The URL to publish, read at start: CloudHub has bound its port by then. */
  url: () => string;
  logger: Logger;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  now?: () => number;
}

export interface HubAddresses extends Module {
  readonly leaseName: string;
  /** The current list, this cloudcore first; empty before start. */
  list(): string[];
  /** Called with the new list whenever it changes; returns the unsubscribe function. */
  onChange(listener: (hubs: string[]) => void): () => void;
}

const LEASES = { group: 'coordination.k8s.io', resource: 'leases', namespaced: true };
export const DEFAULT_HUB_LEASE_SECONDS = 30;

export function createHubAddresses(options: HubAddressesOptions): HubAddresses {
  const { api, logger } = options;
  const now = options.now ?? Date.now;
  const durationSeconds = options.leaseDurationSeconds ?? DEFAULT_HUB_LEASE_SECONDS;
  const renewIntervalMs = options.renewIntervalMs ?? (durationSeconds * 1000) / 3;
  const leaseName = hubLeaseName(options.id);
  const holder = `${leaseName}_${process.pid}`;
  const others = new Map<string, { lease: HubLease; object: KubeObject }>();
  const listeners = new Set<(hubs: string[]) => void>();
  let ownUrl: string | undefined;
  let current: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let cancelled = false;

  const informer = options.informers.informerFor(LEASES);
  informer.addHandler((event) => {
    const meta = event.object.metadata;
    if (meta.namespace !== HUB_LEASE_NAMESPACE || meta.name?.startsWith(HUB_LEASE_PREFIX) !== true || meta.name === leaseName) return;
    const lease = event.type === 'DELETED' ? undefined : readHubLease(event.object);
    if (lease === undefined) others.delete(meta.name);
    else others.set(meta.name, { lease, object: event.object });
    recompute();
  });

  function compute(): string[] {
    if (ownUrl === undefined) return [];
    const at = now();
    const live = [...others.values()].filter((o) => !isExpired(o.lease, at)).map((o) => o.lease.url);
    return uniqueHubUrls([ownUrl, ...live.sort()]);
  }

  function recompute(): void {
    const next = compute();
    if (next.length === current.length && next.every((url, i) => url === current[i])) return;
    current = next;
    logger.info({ hubs: next }, 'hub address list changed');
    for (const listener of listeners) listener(next);
  }

  const def = () => {
    const found = api.registry.get('coordination.k8s.io', 'v1', 'leases');
    if (found === undefined) throw new Error('coordination.k8s.io/v1 leases are not served');
    return found;
  };

  async function publish(): Promise<void> {
    const url = ownUrl;
    if (url === undefined) return;
    const leases = def();
    const renewTime = microTime(now());
    const spec = { holderIdentity: holder, leaseDurationSeconds: durationSeconds, renewTime };
    try {
      await updateObject(api, leases, {
        namespace: HUB_LEASE_NAMESPACE,
        name: leaseName,
        subresource: undefined,
        dryRun: false,
        mutate: (lease) => ({
          ...lease,
          metadata: { ...lease.metadata, resourceVersion: '', annotations: { ...lease.metadata.annotations, [HUB_URL_ANNOTATION]: url } },
          spec: { ...(lease.spec as object | undefined), ...spec },
        }),
      });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status.reason !== 'NotFound') throw err;
      // First start, or deleted by another cloudcore that thought it long expired: write it anew.
      const created = await createIfAbsent(api, leases, hubLeaseObject({ name: leaseName, url, holder, renewTimeMs: now(), durationSeconds }));
      if (!created.created) await publish();
    }
  }

  /** Deletes leases long past their expiry, only at the version seen (a renewal in between wins). */
  async function collectLongExpired(): Promise<void> {
    const at = now();
    for (const [name, { lease, object }] of others) {
      if (!isLongExpired(lease, at)) continue;
      try {
        await deleteObject(api, def(), HUB_LEASE_NAMESPACE, name, {
          gracePeriodSeconds: undefined,
          preconditionUid: object.metadata.uid,
          preconditionResourceVersion: object.metadata.resourceVersion,
          propagationPolicy: undefined,
          dryRun: false,
        });
        logger.info({ lease: name, url: lease.url }, 'deleted a long-expired hub lease');
      } catch (err) {
        // Another cloudcore deleted it first, or its holder came back: either way nothing to do.
        logger.debug({ lease: name, reason: errorMessage(err) }, 'long-expired hub lease not deleted');
      }
    }
  }

  async function tick(): Promise<void> {
    try {
      await publish();
    } catch (err) {
      logger.warn({ lease: leaseName, reason: errorMessage(err) }, 'hub lease renewal failed; retrying at the next interval');
    }
    recompute();
    await collectLongExpired();
  }

  function schedule(): void {
    if (stopped || cancelled) return;
    timer = setTimeout(() => void tick().finally(schedule), renewIntervalMs);
    timer.unref();
  }

  return {
    name: 'hub-addresses',
    leaseName,
    list: () => current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start(signal) {
      stopped = false;
      cancelled = false;
      // Cancelled: renewals end. stop() still deletes the lease (SIGTERM aborts, then stops);
      // without a stop the lease is left to expire, as after a crash.
      signal.addEventListener('abort', () => {
        cancelled = true;
        if (timer !== undefined) clearTimeout(timer);
      }, { once: true });
      ownUrl = options.url();
      await informer.synced;
      await publish();
      logger.info({ lease: leaseName, url: ownUrl }, 'hub address published');
      recompute();
      schedule();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (ownUrl === undefined) return;
      ownUrl = undefined;
      try {
        await deleteObject(api, def(), HUB_LEASE_NAMESPACE, leaseName, { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
        logger.info({ lease: leaseName }, 'hub lease deleted');
      } catch (err) {
        logger.warn({ lease: leaseName, reason: errorMessage(err) }, 'hub lease not deleted; it expires on its own');
      }
    },
  };
}
