import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { ApiContext } from '../apiserver/index.js';

const EVENTS = { group: '', resource: 'events', namespaced: true };

/**
 * Events expire (Kubernetes gives them a one-hour etcd lease). We sweep instead: every minute,
 * events whose last occurrence is older than the TTL are removed.
 */
export function createEventTtlController(ctx: ApiContext, logger: Logger, ttlSeconds: number, sweepMs = 60_000): Module {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweep = async (): Promise<void> => {
    const listed = await ctx.objects.list(EVENTS, undefined);
    if (!listed.ok) return;
    const cutoff = ctx.now().getTime() - ttlSeconds * 1000;
    let removed = 0;
    for (const event of listed.value.items) {
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
