import { deltaOf, twinMap, twinView } from './payloads.js';
import type { TwinMessage } from './messages.js';
import { deviceTopic } from './topics.js';
import type { DeviceRef, TwinRecord } from './twin-table.js';

/** One property before and after a change (`before` undefined: it is new). */
export interface TwinChange {
  before: TwinRecord | undefined;
  after: TwinRecord;
}

/**
 * What a committed change tells the device program (docs/device-twins.md § Topics): a
 * `twin/update/document` with each changed property's last and current state, and a
 * `twin/update/delta` with every property whose expected value differs from the actual one,
 * sent when a changed property is one of them.
 */
export function changeMessages(device: DeviceRef, changes: readonly TwinChange[], all: Map<string, TwinRecord>, eventId: string, timestamp: number): TwinMessage[] {
  if (changes.length === 0) return [];
  const document: Record<string, unknown> = {};
  for (const c of changes) document[c.after.property] = { last: c.before === undefined ? null : twinView(c.before), current: twinView(c.after) };
  const messages: TwinMessage[] = [{ topic: deviceTopic(device, 'twin/update/document'), body: { event_id: eventId, timestamp, twin: document } }];
  const changedDiffers = Object.keys(deltaOf(changes.map((c) => c.after))).length > 0;
  if (changedDiffers) {
    messages.push({ topic: deviceTopic(device, 'twin/update/delta'), body: { event_id: eventId, timestamp, twin: twinMap(all.values()), delta: deltaOf(all.values()) } });
  }
  return messages;
}

/** A record's version after a change: 1 when new, else one more. */
export function nextVersion(before: TwinRecord | undefined): number {
  return before === undefined ? 1 : before.version + 1;
}
