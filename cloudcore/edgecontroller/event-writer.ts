import { createHash } from 'node:crypto';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { UpstreamContent } from '../../shared/protocol/index.js';
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';

export type EventContent = Extract<UpstreamContent, { kind: 'event' }>;

/**
 * The Event object's name for one series: the object's name and a hash of what the series is
 * keyed by, so every report of the series lands on the same Event (Kubernetes' EventCorrelator
 * aggregates the same way: by source, object, type and reason).
 */
export function eventName(nodeName: string, content: EventContent): string {
  const { involvedObject: o } = content;
  const hash = createHash('sha256').update([nodeName, o.kind, o.namespace ?? '', o.name, o.uid ?? '', o.fieldPath ?? '', content.type, content.reason].join('\u0000')).digest('hex').slice(0, 16);
  return `${o.name.slice(0, 253 - 17)}.${hash}`;
}

/**
 * Writes one event series as a core/v1 Event: created on first report, then count, message and
 * lastTimestamp moved forward. The edge's count is cumulative, so the highest one wins and a
 * duplicate never counts twice (protocol.md R25).
 */
export async function writeEvent(ctx: ApiContext, nodeName: string, content: EventContent): Promise<void> {
  const def = ctx.registry.get('', 'v1', 'events');
  if (def === undefined) throw new Error('core/v1 events are not served');
  // Events about cluster-scoped objects (the Node) live in `default`, as kubelet records them.
  const namespace = content.involvedObject.namespace ?? 'default';
  const name = eventName(nodeName, content);
  const { seq: _seq, kind: _kind, ...series } = content;
  const fresh: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: { apiVersion: 'v1', ...series.involvedObject },
    reason: series.reason,
    message: series.message,
    type: series.type,
    count: series.count,
    firstTimestamp: series.firstTimestamp,
    lastTimestamp: series.lastTimestamp,
    source: { component: series.reportingComponent, host: nodeName },
    reportingComponent: series.reportingComponent,
    reportingInstance: nodeName,
  };
  if ((await createIfAbsent(ctx, def, fresh)).created) return;
  await updateObject(ctx, def, {
    namespace,
    name,
    subresource: undefined,
    dryRun: false,
    mutate: (current) => {
      const currentCount = typeof current.count === 'number' ? current.count : 0;
      if (series.count <= currentCount) return current; // an older or repeated report
      return { ...current, count: series.count, message: series.message, lastTimestamp: series.lastTimestamp };
    },
  });
}

/**
 * Per-node token buckets for event writes: a node may write a burst, then a steady rate. Beyond
 * that its events are answered "retry", so they wait at the edge and coalesce into their series'
 * counts there: a chatty node is capped, and nothing it counted is lost.
 */
export class EventRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst = 100,
    private readonly perSecond = 10,
    private readonly now: () => number = Date.now,
  ) {}

  take(nodeName: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(nodeName) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(nodeName, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
