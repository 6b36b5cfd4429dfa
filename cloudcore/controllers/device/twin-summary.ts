import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';

/** What the device controller keeps in `Device.status` (docs/devices.md § The summary in Device.status). */
export interface TwinSummary {
  state?: string;
  lastOnlineTime?: string;
  /** `in sync/with a desired value`, e.g. `2/3`. */
  twinsInSync: string;
}

/**
 * The summary of a Device against its DeviceStatus: `state` and `lastOnlineTime` as the edge last
 * reported them, and how many properties with a desired value have a reported value equal to it.
 * A Device with no DeviceStatus yet has nothing in sync.
 */
export function twinSummaryOf(device: KubeObject, deviceStatus: KubeObject | undefined): TwinSummary {
  const reported = new Map<string, string>();
  const status = asObj(deviceStatus?.status);
  for (const twin of objArray(status?.twins)) {
    const value = asObj(twin.reported)?.value;
    if (typeof twin.propertyName === 'string' && typeof value === 'string') reported.set(twin.propertyName, value);
  }
  let withDesired = 0;
  let inSync = 0;
  for (const property of objArray(asObj(device.spec)?.properties)) {
    const desired = asObj(property.desired)?.value;
    if (typeof desired !== 'string' || typeof property.name !== 'string') continue;
    withDesired++;
    if (reported.get(property.name) === desired) inSync++;
  }
  const state = str(status?.state);
  const lastOnlineTime = str(status?.lastOnlineTime);
  return { ...(state !== '' ? { state } : {}), ...(lastOnlineTime !== '' ? { lastOnlineTime } : {}), twinsInSync: `${inSync}/${withDesired}` };
}

/** Whether `Device.status` already says what the summary says: then nothing is written (no write loop). */
export function summaryIsCurrent(device: KubeObject, summary: TwinSummary): boolean {
  const status = asObj(device.status) ?? {};
  return status.state === summary.state && status.lastOnlineTime === summary.lastOnlineTime && status.twinsInSync === summary.twinsInSync;
}

/** `Device.status` with the summary's fields set (absent ones removed), the rest kept. */
export function withSummary(status: unknown, summary: TwinSummary): Record<string, unknown> {
  const next: Record<string, unknown> = { ...asObj(status) };
  for (const field of ['state', 'lastOnlineTime', 'twinsInSync']) delete next[field];
  return { ...next, ...summary };
}
