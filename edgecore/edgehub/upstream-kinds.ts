import { supportsDevices, supportsEvents } from '../../shared/protocol/index.js';
import type { OutboxKind } from '../metamanager/index.js';

/** The route resource each outbox kind travels under (protocol.md R4, R39). */
export const UPSTREAM_RESOURCE: Record<OutboxKind, string> = {
  podStatus: 'pods', podDelete: 'pods', nodeStatus: 'nodes', lease: 'leases', event: 'events', deviceStatus: 'devices',
};

/**
 * Whether a cloud speaking `cloudVersion` takes rows of this kind: events since 1.2 (R25),
 * deviceStatus since 1.4 (R39); a row it cannot take is dropped unsent (the sender counts it).
 */
export function cloudTakes(kind: OutboxKind, cloudVersion: string): boolean {
  if (kind === 'event') return supportsEvents(cloudVersion);
  if (kind === 'deviceStatus') return supportsDevices(cloudVersion);
  return true;
}
