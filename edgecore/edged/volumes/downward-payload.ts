/**
 * downwardAPI items → files, as kubelet's downwardapi volume plugin (CollectData) builds them.
 * Volumes may read only metadata (validation's validVolumeDownwardAPIFieldPathExpressions):
 * name, namespace, uid, and the labels and annotations, whole or one key; and resourceFieldRef of
 * a named container. A whole map is written as fieldpath.FormatMap does: `key="value"` lines in
 * key order, Go-quoted, without a final newline.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { resourceFieldRefValue, type MachineInfo, type Pod } from '../podspec/index.js';
import type { Payload } from './atomic-writer.js';
import type { DownwardItem } from './volume-schema.js';

/** Go's %q for the strings labels hold (JSON's escaping agrees for printable text). */
function goQuote(value: string): string {
  return JSON.stringify(value);
}

export function formatMap(map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort();
  return keys.map((key) => `${key}=${goQuote(map?.[key] ?? '')}`).join('\n');
}

const own = (map: Record<string, string> | undefined, key: string): string => (map !== undefined && Object.hasOwn(map, key) ? (map[key] ?? '') : '');

/** `metadata.labels['key']` → { base, key } (fieldpath.SplitMaybeSubscriptedPath). */
function splitSubscript(path: string): { base: string; key?: string } {
  const match = /^([^[]+)\['(.*)'\]$/.exec(path);
  return match === null ? { base: path } : { base: match[1] ?? '', key: match[2] ?? '' };
}

export function volumeFieldValue(fieldPath: string, pod: Pod): Result<string> {
  const { base, key } = splitSubscript(fieldPath);
  if (key !== undefined) {
    if (base === 'metadata.labels') return ok(own(pod.metadata.labels, key));
    if (base === 'metadata.annotations') return ok(own(pod.metadata.annotations, key));
    return fail('Invalid', `field label does not support subscript: ${base}`);
  }
  switch (fieldPath) {
    case 'metadata.name':
      return ok(pod.metadata.name);
    case 'metadata.namespace':
      return ok(pod.metadata.namespace);
    case 'metadata.uid':
      return ok(pod.metadata.uid);
    case 'metadata.labels':
      return ok(formatMap(pod.metadata.labels));
    case 'metadata.annotations':
      return ok(formatMap(pod.metadata.annotations));
    default:
      return fail('Invalid', `unsupported fieldPath in a downwardAPI volume: ${fieldPath}`);
  }
}

function itemValue(item: DownwardItem, pod: Pod, machine: MachineInfo): Result<string> {
  if (item.fieldRef !== undefined) {
    const version = item.fieldRef.apiVersion ?? 'v1';
    if (version !== 'v1') return fail('Invalid', `unsupported pod version: ${version}`);
    return volumeFieldValue(item.fieldRef.fieldPath, pod);
  }
  if (item.resourceFieldRef !== undefined) {
    const ref = item.resourceFieldRef;
    const container = pod.spec.containers.find((c) => c.name === ref.containerName) ?? pod.spec.initContainers?.find((c) => c.name === ref.containerName);
    if (container === undefined) return fail('Invalid', `container ${ref.containerName ?? ''} not found`);
    const value = resourceFieldRefValue(ref, pod, container, machine);
    return value.ok ? ok(value.value) : fail(value.code, value.message);
  }
  return fail('Invalid', `downwardAPI item ${item.path} has neither fieldRef nor resourceFieldRef`);
}

export function downwardApiPayload(items: readonly DownwardItem[], pod: Pod, defaultMode: number, machine: MachineInfo): Result<Payload> {
  const payload: Payload = new Map();
  for (const item of items) {
    const value = itemValue(item, pod, machine);
    if (!value.ok) return value;
    payload.set(item.path, { data: Buffer.from(value.value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return ok(payload);
}
