import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { ApiContext } from '../apiserver/index.js';
import type { SharedInformerFactory } from '../informers/index.js';

const EVENTS = { group: '', resource: 'events', namespaced: true };

/**
 * Events expire (Kubernetes gives them a one-hour etcd lease). We sweep instead: every minute,
 * events whose last occurrence is older than the TTL are removed. The sweep reads the shared
 * events informer's cache rather than listing the store each time.
 */
export function createEventTtlController(ctx: ApiContext, informers: SharedInformerFactory, logger: Logger, ttlSeconds: number, sweepMs = 60_000): Module {
  const events = informers.informerFor(EVENTS);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweep = async (): Promise<void> => {
    // Before the first list the cache is partial; the next sweep will see everything.
    if (!events.hasSynced) return;
    const cutoff = ctx.now().getTime() - ttlSeconds * 1000;
    let removed = 0;
    // A copy: deletions reach the cache while the sweep goes on.
    for (const event of [...events.list()]) {
      const last = lastSeen(event as Record<string, unknown>, event.metadata.creationTimestamp);
      if (last === undefined || last >= cutoff) continue;
      const res = await ctx.objects.delete(EVENTS, event.metadata.namespace, event.metadata.name ?? '', Number(event.metadata.resourceVersion));
      if (res.ok) removed++;
    }
    if (removed > 0) logger.info({ removed }, 'expired events removed');
  };

  const tick = (): void => {
    running = sweep().catch((err: unknown) => logger.warn({ err }, 'event sweep failed'));
    void running.finally(() => {
      running = undefined;
    });
  };

  return {
    name: 'event-ttl-controller',
    async start() {
      tick();
      timer = setInterval(tick, sweepMs);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function lastSeen(event: Record<string, unknown>, created: string | undefined): number | undefined {
  const series = event.series as { lastObservedTime?: string } | undefined;
  const candidates = [event.lastTimestamp, series?.lastObservedTime, event.eventTime, created];
  for (const value of candidates) {
    if (typeof value === 'string' && value !== '') {
      const t = Date.parse(value);
      if (!Number.isNaN(t)) return t;
    }
  }
  return undefined;
}
