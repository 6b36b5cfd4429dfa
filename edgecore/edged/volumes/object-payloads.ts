/**
 * ConfigMap and Secret → the files of a volume, as kubelet's configmap and secret volume plugins
 * build them (MakePayload in pkg/volume/configmap and pkg/volume/secret): every key when no items
 * are listed, else the listed keys at their paths; each file's mode is the item's, else the
 * volume's defaultMode (0644 when unset). A missing object or key fails unless `optional`.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { ObjectLookup } from '../podspec/index.js';
import type { Payload } from './atomic-writer.js';
import type { KeyToPath } from './volume-schema.js';

export const DEFAULT_MODE = 0o644;

export interface ObjectVolumeSource {
  name: string;
  items?: readonly KeyToPath[] | undefined;
  optional?: boolean | undefined;
}

/** Key → bytes of one object, or undefined when the object is not on this edge. */
type KeyBytes = Map<string, Buffer>;

function decodeBase64Map(map: Record<string, string> | undefined, into: KeyBytes): void {
  for (const [key, value] of Object.entries(map ?? {})) into.set(key, Buffer.from(value, 'base64'));
}

function configMapBytes(lookup: ObjectLookup, namespace: string, name: string): KeyBytes | undefined {
  const object = lookup.configMap(namespace, name);
  if (object === undefined) return undefined;
  const bytes: KeyBytes = new Map();
  for (const [key, value] of Object.entries(object.data ?? {})) bytes.set(key, Buffer.from(value, 'utf8'));
  decodeBase64Map(object.binaryData, bytes);
  return bytes;
}

function secretBytes(lookup: ObjectLookup, namespace: string, name: string): KeyBytes | undefined {
  const object = lookup.secret(namespace, name);
  if (object === undefined) return undefined;
  const bytes: KeyBytes = new Map();
  decodeBase64Map(object.data, bytes);
  return bytes;
}

function payloadOf(bytes: KeyBytes, source: ObjectVolumeSource, defaultMode: number, missingKey: (key: string) => string): Result<Payload> {
  const payload: Payload = new Map();
  if (source.items === undefined || source.items.length === 0) {
    for (const [key, data] of bytes) payload.set(key, { data, mode: defaultMode });
    return ok(payload);
  }
  for (const item of source.items) {
    const data = bytes.get(item.key);
    if (data === undefined) {
      if (source.optional === true) continue;
      return fail('NotFound', missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return ok(payload);
}

/** kubelet's messages: `configmap "x" not found`, `configmap references non-existent config key: k`. */
export function configMapPayload(lookup: ObjectLookup, namespace: string, source: ObjectVolumeSource, defaultMode: number | undefined): Result<Payload> {
  const bytes = configMapBytes(lookup, namespace, source.name);
  if (bytes === undefined) return source.optional === true ? ok(new Map()) : fail('NotFound', `configmap ${JSON.stringify(source.name)} not found`);
  return payloadOf(bytes, source, defaultMode ?? DEFAULT_MODE, (key) => `configmap references non-existent config key: ${key}`);
}

/** kubelet's messages: `secret "x" not found`, `references non-existent secret key: k`. */
export function secretPayload(lookup: ObjectLookup, namespace: string, source: ObjectVolumeSource, defaultMode: number | undefined): Result<Payload> {
  const bytes = secretBytes(lookup, namespace, source.name);
  if (bytes === undefined) return source.optional === true ? ok(new Map()) : fail('NotFound', `secret ${JSON.stringify(source.name)} not found`);
  return payloadOf(bytes, source, defaultMode ?? DEFAULT_MODE, (key) => `references non-existent secret key: ${key}`);
}
