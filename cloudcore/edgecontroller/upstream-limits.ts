import type { KubeObject } from '../../shared/k8s/types.js';

/**
 * The largest object a node's write may produce (protocol.md R38, docs/limits.md § Channel):
 * 1.5 MiB, etcd's default request limit, which is what bounds every object in a Kubernetes
 * cluster. The API's own body limit (3 MiB, `errors.tooLarge`) bounds a request, not the object a
 * status merge makes; this bound also keeps every object a node writes far below the 4 MiB frame
 * the edge accepts (R6), so a node's writes can never make an object the cloud cannot deliver.
 */
export const MAX_UPSTREAM_OBJECT_BYTES = 1536 * 1024;

/** The object a node's write would produce is too large: the write is answered `reject` (R38). */
export class ObjectTooLarge extends Error {
  readonly code = 'RequestEntityTooLarge';
}

/** Bytes of a value as JSON (UTF-8): what the store keeps and the frame carries. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Throws ObjectTooLarge when what a node reported alone is over the bound, before any read of the store. */
export function checkReportSize(what: string, reported: unknown, limit = MAX_UPSTREAM_OBJECT_BYTES): void {
  const bytes = jsonBytes(reported);
  if (bytes > limit) throw new ObjectTooLarge(`${what} is ${bytes} bytes; a node may write at most ${limit} bytes per object (protocol.md R38)`);
}

/** Returns the object unchanged when it is within the bound; throws ObjectTooLarge otherwise (used inside an update's mutate). */
export function withinObjectLimit(object: KubeObject, limit = MAX_UPSTREAM_OBJECT_BYTES): KubeObject {
  const bytes = jsonBytes(object);
  const { namespace, name } = object.metadata;
  if (bytes > limit) throw new ObjectTooLarge(`${object.kind} ${namespace ? `${namespace}/` : ''}${name ?? ''} would be ${bytes} bytes; a node's write may make an object of at most ${limit} bytes (protocol.md R38)`);
  return object;
}
