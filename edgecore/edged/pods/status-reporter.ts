/**
 * Sends a pod's status up only when it differs from the last one sent (kubelet's status manager
 * does the same against the API's copy), so a quiet edge adds nothing to the outbox (R14).
 * After a restart the comparison falls back to the status the cloud sent down with the pod.
 */
import { isRecord } from '../../../shared/k8s/types.js';
import type { PodStatusJson } from './status-types.js';

/** JSON with object keys sorted, so equal statuses compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fields edged reports, taken from a status that may hold more (e.g. qosClass set by the API). */
function reportedFields(status: Record<string, unknown>, like: PodStatusJson): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(like)) if (status[key] !== undefined) out[key] = status[key];
  return out;
}

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export type StatusSink = (pod: PodRef, status: Record<string, unknown>, previous: PodStatusJson | undefined) => void;

export class StatusReporter {
  private readonly sent = new Map<string, { json: string; status: PodStatusJson }>();

  constructor(private readonly sink: StatusSink) {}

  /** The status to build on: the last one sent, else the cloud's copy. */
  previous(uid: string, stored: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const sent = this.sent.get(uid);
    return sent === undefined ? stored : (sent.status as unknown as Record<string, unknown>);
  }

  /** Queues the status when it changed; true when it did. */
  report(pod: PodRef, status: PodStatusJson, stored: Record<string, unknown> | undefined): boolean {
    const json = canonicalJson(status);
    const last = this.sent.get(pod.uid)?.json ?? (stored === undefined ? undefined : canonicalJson(reportedFields(stored, status)));
    if (last === json) {
      this.sent.set(pod.uid, { json, status });
      return false;
    }
    this.sink(pod, status as unknown as Record<string, unknown>, this.sent.get(pod.uid)?.status);
    this.sent.set(pod.uid, { json, status });
    return true;
  }

  forget(uid: string): void {
    this.sent.delete(uid);
  }
}
