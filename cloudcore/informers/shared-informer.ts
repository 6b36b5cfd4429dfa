import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { ObjectEvent, ObjectStore, ResourceKey } from '../apiserver/index.js';
import type { Clock } from './clock.js';
import { objectStoreSource, runListWatch, type ListWatchObserver } from './list-watch.js';
import { stringifyJson } from '../../shared/json/index.js';

/** One change as every handler of an informer sees it; a relist's differences arrive the same way. */
export interface InformerEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new object, or for DELETED the last state known. Shared: read-only. */
  object: KubeObject;
  /** The state it replaced (MODIFIED, DELETED). */
  previous: KubeObject | undefined;
  /** `object` as JSON, built once for all handlers. */
  objectJson(): string;
  /** The store revision of the change (the deletion's revision for DELETED). */
  revision: number;
}

export type InformerHandler = (event: InformerEvent) => void;

export interface SharedInformerOptions {
  clock?: Clock;
  observer?: ListWatchObserver;
}

interface Cached {
  object: KubeObject;
  json: () => string;
}

/**
 * A shared informer (docs/architecture.md § Conventions, after client-go and the JavaScript client): one
 * list-then-watch per kind for the whole process, a cache by namespace/name, and handlers that see
 * every change once. A relist (after a compacted watch) is diffed against the cache and announced
 * as ordinary events, so handlers never need a separate resync path.
 */
export class SharedInformer {
  private readonly cache = new Map<string, Cached>();
  private readonly handlers = new Set<InformerHandler>();
  private started = false;
  private listed = false;
  private resolveSynced!: () => void;
  /** Resolves after the first list has been applied. */
  readonly synced = new Promise<void>((resolve) => (this.resolveSynced = resolve));

  constructor(
    readonly resource: ResourceKey,
    private readonly objects: ObjectStore,
    private readonly logger: Logger,
    private readonly options: SharedInformerOptions = {},
  ) {}

  /**
   * Starts the list-and-watch once; later calls do nothing. The factory calls it (it owns the
   * signal); the loop runs until `signal` aborts.
   */
  start(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    const handlers = {
      onList: (items: KubeObject[], revision: number) => this.replaceAll(items, revision),
      onEvents: (events: ObjectEvent[]) => {
        for (const event of events) this.apply(event);
      },
    };
    const options = { signal, logger: this.logger, resource: this.resource.resource, ...this.options };
    runListWatch(objectStoreSource(this.objects, this.resource), handlers, options).catch((err: unknown) => {
      this.logger.error({ err, resource: this.resource.resource }, 'list-watch loop failed');
    });
  }

  addHandler(handler: InformerHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.cache.get(keyOf(namespace, name))?.object;
  }

  /** The cached object with its shared JSON text, for senders that serialize once. */
  getWithJson(namespace: string | undefined, name: string): { object: KubeObject; json: () => string } | undefined {
    return this.cache.get(keyOf(namespace, name));
  }

  *list(): IterableIterator<KubeObject> {
    for (const cached of this.cache.values()) yield cached.object;
  }

  /** True once the first list has been applied (what `synced` resolves on). */
  get hasSynced(): boolean {
    return this.listed;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Applies one watch event (public for unit tests). */
  apply(event: ObjectEvent): void {
    const key = keyOf(event.object.metadata.namespace, event.object.metadata.name ?? '');
    const previous = this.cache.get(key)?.object ?? event.previous;
    if (event.type === 'DELETED') this.cache.delete(key);
    else this.cache.set(key, { object: event.object, json: event.objectJson });
    this.emit({ type: event.type, object: event.object, previous, objectJson: event.objectJson, revision: event.revision });
  }

  /** A (re)list: the listed state replaces the cache, and each difference is announced. */
  replaceAll(items: KubeObject[], listRevision: number): void {
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item.metadata.namespace, item.metadata.name ?? '');
      seen.add(key);
      const before = this.cache.get(key)?.object;
      if (before !== undefined && before.metadata.uid === item.metadata.uid && before.metadata.resourceVersion === item.metadata.resourceVersion) continue;
      // A different uid under the same name is a delete and a create that the relist folded together.
      if (before !== undefined && before.metadata.uid !== item.metadata.uid) this.dropKey(key, before, listRevision);
      const json = memo(() => stringifyJson(item));
      this.cache.set(key, { object: item, json });
      const same = before !== undefined && before.metadata.uid === item.metadata.uid;
      this.emit({ type: same ? 'MODIFIED' : 'ADDED', object: item, previous: same ? before : undefined, objectJson: json, revision: Number(item.metadata.resourceVersion ?? 0) });
    }
    for (const [key, cached] of [...this.cache]) if (!seen.has(key)) this.dropKey(key, cached.object, listRevision);
    this.listed = true;
    this.resolveSynced();
  }

  /**
   * A deletion the relist revealed. It happened at or before the list's revision and after the
   * object's own version, so the list's revision stands in for the unknown deletion revision.
   */
  private dropKey(key: string, object: KubeObject, listRevision: number): void {
    this.cache.delete(key);
    this.emit({ type: 'DELETED', object, previous: object, objectJson: memo(() => stringifyJson(object)), revision: listRevision });
  }

  private emit(event: InformerEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (err) {
        // One faulty handler must not starve the others of events.
        this.logger.error({ err, resource: this.resource.resource }, 'informer handler failed');
      }
    }
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function memo(build: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= build());
}
