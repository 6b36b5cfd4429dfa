/**
 * A container spec's fingerprint, edged's counterpart of kubelet's HashContainer: it goes into
 * LABELS.containerHash, so after a restart (or a change made while offline) edged adopts containers
 * whose spec is unchanged and replaces the others. sha256 of canonical JSON: object keys sorted at
 * every depth, absent (undefined) fields left out, arrays kept in order. Unknown fields count too,
 * so any change the API accepts is a change here.
 */
import { createHash } from 'node:crypto';
import type { PodContainer } from './pod-schema.js';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** First 16 hex digits (64 bits) of the sha256: short enough for a label, collisions out of reach. */
export function containerSpecHash(container: PodContainer): string {
  return createHash('sha256').update(canonicalJson(container)).digest('hex').slice(0, 16);
}
