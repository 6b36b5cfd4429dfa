import { createHash } from 'node:crypto';
import type { KubeObject } from '../../shared/k8s/types.js';
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';
import type { ObjectReference } from './downstream-frames.js';

/** The Event reason when an object cannot travel to a node (protocol.md R37). */
export const UNDELIVERABLE_REASON = 'FrameTooLarge';

export interface Undeliverable {
  nodeName: string;
  about: ObjectReference;
  frameBytes: number;
  limitBytes: number;
}

/**
 * Records, on the object itself, that it was too large to send to a node (R37): a Warning Event
 * per (object, node), its count moved on at each further attempt, so `kubectl describe` tells the
 * owner why the node does not have it. The node's other objects are delivered regardless.
 */
export async function recordUndeliverable(ctx: ApiContext, what: Undeliverable): Promise<void> {
  const def = ctx.registry.get('', 'v1', 'events');
  if (def === undefined) throw new Error('core/v1 events are not served');
  const { about, nodeName } = what;
  const namespace = about.namespace ?? 'default';
  const hash = createHash('sha256').update([nodeName, about.uid, UNDELIVERABLE_REASON].join('\u0000')).digest('hex').slice(0, 16);
  const name = `${about.name.slice(0, 253 - 17)}.${hash}`;
  const now = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const message = `${about.kind} ${about.namespace ? `${about.namespace}/` : ''}${about.name} is ${what.frameBytes} bytes as a frame, over the ${what.limitBytes}-byte limit an edge accepts (protocol.md R6); it is not sent to node ${nodeName}, whose other objects are`;
  const fresh: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: about,
    reason: UNDELIVERABLE_REASON,
    message,
    type: 'Warning',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'cloudhub' },
    reportingComponent: 'cloudhub',
    reportingInstance: nodeName,
  };
  if ((await createIfAbsent(ctx, def, fresh)).created) return;
  await updateObject(ctx, def, {
    namespace,
    name,
    subresource: undefined,
    dryRun: false,
    mutate: (current) => ({ ...current, count: (typeof current.count === 'number' ? current.count : 0) + 1, message, lastTimestamp: now }),
  });
}
