import type { KubeObject } from '../../../shared/k8s/types.js';
import type { KeyValue, Store, StoreResult, WatchEvent } from '../../storage/index.js';
import { stringifyJson } from '../../../shared/json/index.js';

/**
 * Kubernetes objects on top of the revisioned key-value Store. Keys follow the apiserver's etcd
 * layout (/registry/GROUP/RESOURCE/NAMESPACE/NAME). Values are stored without
 * `metadata.resourceVersion`; the store's modRevision is injected on read, so resourceVersion is
 * always the global revision of the object's last write.
 */
export interface ResourceKey {
  group: string;
  resource: string;
  namespaced: boolean;
  /** Set for a version served from another resource's (or version's) storage. */
  storedAs?: StoredAs;
}

/**
 * How a served version keeps its objects in the storage of another form, as Kubernetes keeps one
 * storage version per resource and converts on every read and write (docs/kinds.md § One storage,
 * several versions): events.k8s.io/v1 events are core/v1 events, autoscaling/v1
 * HorizontalPodAutoscalers are autoscaling/v2 ones. Both conversions keep metadata as it is.
 */
export interface StoredAs {
  group: string;
  resource: string;
  /** The stored form → the served version. */
  fromStorage(obj: KubeObject): KubeObject;
  /** The served version → the stored form. */
  toStorage(obj: KubeObject): KubeObject;
}

export interface ObjectList {
  items: KubeObject[];
  revision: number;
  more: boolean;
  /** Key of the last item read, for `continue` tokens. */
  lastKey: string | undefined;
}

export interface ObjectEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** Shared by every watcher of this event: read-only. */
  object: KubeObject;
  /** The object before this change (absent for ADDED). */
  previous: KubeObject | undefined;
  revision: number;
  /** `object` serialized once, however many watchers write it out. */
  objectJson(): string;
}

/**
 * The most a stored object may take, encoded (docs/limits.md § API, "Object size"): the API's
 * request body limit, so that a patch or an apply can never grow an object past what a create
 * could carry, and every object fits in one channel frame (4 MiB, docs/protocol.md R37) with its
 * envelope. etcd holds Kubernetes objects under a limit of the same kind (`--max-request-bytes`).
 */
export const MAX_OBJECT_BYTES = 3 * 1024 * 1024;

/** A write's outcome: the store's, or the object refused for its size before the store saw it. */
export type ObjectWriteResult = StoreResult<KubeObject> | { ok: false; code: 'TooLarge'; message: string };

export class ObjectStore {
  constructor(readonly store: Store) {}

  prefix(def: ResourceKey, namespace?: string): string {
    const group = def.storedAs?.group ?? def.group;
    const base = `/registry/${group === '' ? 'core' : group}/${def.storedAs?.resource ?? def.resource}/`;
    return def.namespaced && namespace !== undefined ? `${base}${namespace}/` : base;
  }

  key(def: ResourceKey, namespace: string | undefined, name: string): string {
    return `${this.prefix(def, def.namespaced ? (namespace ?? '') : undefined)}${name}`;
  }

  async get(def: ResourceKey, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const res = await this.store.get(this.key(def, namespace, name));
    if (!res.ok || res.value === undefined) return undefined;
    return served(def, decode(res.value));
  }

  async list(
    def: ResourceKey,
    namespace: string | undefined,
    options: { revision?: number; startAfter?: string; limit?: number } = {},
  ): Promise<StoreResult<ObjectList>> {
    const res = await this.store.list(this.prefix(def, namespace), options);
    if (!res.ok) return res;
    const items = res.value.items.map((kv) => served(def, decode(kv)));
    return {
      ok: true,
      value: { items, revision: res.value.revision, more: res.value.more, lastKey: res.value.items.at(-1)?.key },
    };
  }

  /**
   * The same list as JSON texts with resourceVersion spliced in, never parsed: for plain lists
   * with no selector, the largest responses the API serves.
   */
  async listJson(
    def: ResourceKey,
    namespace: string | undefined,
    options: { revision?: number; startAfter?: string; limit?: number } = {},
  ): Promise<StoreResult<{ items: string[]; revision: number; more: boolean; lastKey: string | undefined }>> {
    const res = await this.store.list(this.prefix(def, namespace), options);
    if (!res.ok) return res;
    const convert = def.storedAs;
    const items = convert === undefined
      ? res.value.items.map(encodedWithResourceVersion)
      : res.value.items.map((kv) => stringifyJson(convert.fromStorage(decode(kv))));
    return { ok: true, value: { items, revision: res.value.revision, more: res.value.more, lastKey: res.value.items.at(-1)?.key } };
  }

  async create(def: ResourceKey, obj: KubeObject): Promise<ObjectWriteResult> {
    const value = encode(stored(def, obj));
    if (Buffer.byteLength(value, 'utf8') > MAX_OBJECT_BYTES) return tooLarge(value);
    const res = await this.store.create(this.key(def, obj.metadata.namespace, obj.metadata.name ?? ''), value);
    return res.ok ? { ok: true, value: served(def, decode(res.value)) } : res;
  }

  async update(def: ResourceKey, obj: KubeObject, expectedRevision: number): Promise<ObjectWriteResult> {
    const key = this.key(def, obj.metadata.namespace, obj.metadata.name ?? '');
    const value = encode(stored(def, obj));
    if (Buffer.byteLength(value, 'utf8') > MAX_OBJECT_BYTES) return tooLarge(value);
    const res = await this.store.update(key, value, expectedRevision);
    return res.ok ? { ok: true, value: served(def, decode(res.value)) } : res;
  }

  async delete(
    def: ResourceKey,
    namespace: string | undefined,
    name: string,
    expectedRevision?: number,
  ): Promise<StoreResult<KubeObject>> {
    const res = await this.store.delete(this.key(def, namespace, name), expectedRevision);
    return res.ok ? { ok: true, value: served(def, decode(res.value)) } : res;
  }

  /** Watches one resource (optionally one namespace); each event's JSON is parsed once here. */
  watch(
    def: ResourceKey,
    namespace: string | undefined,
    fromRevision: number,
    signal: AbortSignal,
    onEvents: (events: ObjectEvent[]) => void,
  ): StoreResult<void> {
    return this.store.watch(this.prefix(def, namespace), {
      fromRevision,
      signal,
      onEvents: (events) => {
        const convert = def.storedAs;
        onEvents(convert === undefined ? events.map(toObjectEvent) : events.map((e) => convertedEvent(convert, toObjectEvent(e))));
      },
    });
  }
}

function served(def: ResourceKey, obj: KubeObject): KubeObject {
  return def.storedAs === undefined ? obj : def.storedAs.fromStorage(obj);
}

function stored(def: ResourceKey, obj: KubeObject): KubeObject {
  return def.storedAs === undefined ? obj : def.storedAs.toStorage(obj);
}

/** Converted events, once per served version however many watchers it has. */
const convertedEvents = new WeakMap<StoredAs, WeakMap<ObjectEvent, ObjectEvent>>();

function convertedEvent(convert: StoredAs, event: ObjectEvent): ObjectEvent {
  let cache = convertedEvents.get(convert);
  if (cache === undefined) convertedEvents.set(convert, (cache = new WeakMap()));
  const cached = cache.get(event);
  if (cached !== undefined) return cached;
  const object = convert.fromStorage(event.object);
  const previous = event.previous === undefined ? undefined : convert.fromStorage(event.previous);
  let json: string | undefined;
  const converted: ObjectEvent = { ...event, object, previous, objectJson: () => (json ??= stringifyJson(object)) };
  cache.set(event, converted);
  return converted;
}

function tooLarge(encoded: string): ObjectWriteResult {
  return { ok: false, code: 'TooLarge', message: `the object takes ${Buffer.byteLength(encoded, 'utf8')} bytes encoded, more than the ${MAX_OBJECT_BYTES}-byte limit` };
}

export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.resourceVersion ?? '0');
}

export function decode(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * Stored form: apiVersion, kind and metadata always lead, so the first `"metadata":{` in the text
 * is the object's own (the two strings before it cannot hold an unescaped quote).
 */
export function encode(obj: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = obj.metadata;
  const { apiVersion, kind, metadata: _m, ...rest } = obj;
  return stringifyJson({ apiVersion, kind, metadata, ...rest });
}

/** The head encode() writes: apiVersion, kind, then the opening of metadata. */
const STORED_HEAD = /^\{"apiVersion":"(?:[^"\\]|\\.)*","kind":"(?:[^"\\]|\\.)*","metadata":\{/;

/** The stored text with `metadata.resourceVersion` added, without a parse/serialize round trip. */
export function encodedWithResourceVersion(kv: KeyValue): string {
  const head = STORED_HEAD.exec(kv.value);
  // Anything not in encode()'s shape (never expected) takes the safe, slower path.
  if (head === null) return stringifyJson(decode(kv));
  const cut = head[0].length;
  const separator = kv.value[cut] === '}' ? '' : ',';
  return `${kv.value.slice(0, cut)}"resourceVersion":"${kv.modRevision}"${separator}${kv.value.slice(cut)}`;
}

/**
 * The store hands the same live event to every watcher, so each is decoded (and serialized) once
 * for all API watches rather than once per watcher.
 */
const decodedEvents = new WeakMap<WatchEvent, ObjectEvent>();

function toObjectEvent(event: WatchEvent): ObjectEvent {
  const cached = decodedEvents.get(event);
  if (cached !== undefined) return cached;
  const object = decode(event.kv);
  const previous = event.prevKv === undefined ? undefined : decode(event.prevKv);
  const type = event.type === 'create' ? 'ADDED' : event.type === 'update' ? 'MODIFIED' : 'DELETED';
  let json: string | undefined;
  const decoded: ObjectEvent = { type, object, previous, revision: event.revision, objectJson: () => (json ??= stringifyJson(object)) };
  decodedEvents.set(event, decoded);
  return decoded;
}
