import type { KubeObject } from '../../shared/k8s/types.js';
import { stringifyJson } from '../../shared/json/index.js';

/**
 * The most a node may report (protocol.md R38, docs/limits.md § Channel): one message, and the
 * status it makes once merged, are at most 1.5 MiB as JSON, etcd's default request limit, which
 * is what bounds every object in a Kubernetes cluster. A node's statuses are kilobytes.
 */
export const MAX_UPSTREAM_REPORT_BYTES = 1536 * 1024;

/**
 * The most an object written for a node may be: 3 MiB, what the API accepts as a request body
 * (`cloudcore/apiserver/http/body.ts`, `errors.tooLarge`), so a node can never make an object
 * the API itself would refuse, and every object it writes stays below the 4 MiB frame (R6, R37).
 */
export const MAX_UPSTREAM_OBJECT_BYTES = 3 * 1024 * 1024;

/** The object a node's write would produce is too large: the write is answered `reject` (R38). */
export class ObjectTooLarge extends Error {
  readonly code = 'RequestEntityTooLarge';
}

/** Bytes of a value as JSON (UTF-8): what the store keeps and the frame carries. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(stringifyJson(value) ?? '', 'utf8');
}

/** Throws ObjectTooLarge when what a node reported alone is over the bound, before any read of the store. */
export function checkReportSize(what: string, reported: unknown, limit = MAX_UPSTREAM_REPORT_BYTES): void {
  const bytes = jsonBytes(reported);
  if (bytes > limit) throw new ObjectTooLarge(`${what} is ${bytes} bytes; a node may report at most ${limit} bytes (protocol.md R38)`);
}

/**
 * Returns the object a status write produced when its status and the whole object are within the
 * bounds; throws ObjectTooLarge otherwise (used inside an update's mutate, so nothing is written).
 * The whole-object bound is the API's: an object created large through the API (a big spec) keeps
 * getting its status from its node.
 */
export function withinObjectLimit(object: KubeObject, limits = { status: MAX_UPSTREAM_REPORT_BYTES, object: MAX_UPSTREAM_OBJECT_BYTES }): KubeObject {
  const { namespace, name } = object.metadata;
  const what = `${object.kind} ${namespace ? `${namespace}/` : ''}${name ?? ''}`;
  const statusBytes = jsonBytes(object.status ?? {});
  if (statusBytes > limits.status) throw new ObjectTooLarge(`the status of ${what} would be ${statusBytes} bytes; a node may make a status of at most ${limits.status} bytes (protocol.md R38)`);
  const bytes = jsonBytes(object);
  if (bytes > limits.object) throw new ObjectTooLarge(`${what} would be ${bytes} bytes; a node's write may make an object of at most ${limits.object} bytes (protocol.md R38)`);
  return object;
}
