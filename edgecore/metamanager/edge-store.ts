import { fail, ok, type Result } from '../../shared/errors.js';
import { optionalRow } from '../../shared/sqlite-rows.js';
import type { WireObject } from '../../shared/protocol/index.js';
import { ObjectTable } from './object-table.js';
import { openEdgeDatabase, type EdgeDatabase } from './open-edge-db.js';
import { EventRecorder, type EdgeEvent } from './event-recorder.js';
import { HubAddressTable } from './hub-address-table.js';
import { Outbox } from './outbox.js';
import { RevisionLog } from './revision-log.js';
import { parseSyncStateValueRow } from './row-schemas.js';

/** One change from the cloud, as the edge hub hands it over. */
export type DownstreamChange =
  | { kind: 'upsert'; object: WireObject }
  | { kind: 'delete'; uid: string; resourceVersion: string };

export interface Committed {
  uid: string;
  resourceVersion: string;
}

/**
 * A committed change as the edge's own readers see it (MetaServer watches): `revision` is the
 * edge's revision, and `object` is the object as stored (it still carries the cloud's
 * resourceVersion; readers that serve it replace that with `revision`).
 */
export interface ObjectChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  revision: number;
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  object: WireObject;
  /** The version this one replaced or deleted, for selector transitions. */
  previous?: WireObject;
}

export interface EdgeStoreOptions {
  /** How many deletions are remembered for watches (default 1000); older ones are compacted. */
  tombstoneLimit?: number;
  /**
   * Confirm a pod's graceful deletion as soon as it arrives (protocol.md R18), for an edge without
   * a runtime. Default true; edged turns it off and confirms once the pod's containers are gone.
   */
  confirmDeletions?: boolean;
}

const DEFAULT_TOMBSTONE_LIMIT = 1000;

/**
 * The edge's store (docs/architecture.md § Folders: edgecore/metamanager): the objects sent down, the upstream outbox
 * and sync state, in one SQLite file. Downstream batches commit in one transaction, and the
 * caller acks only what this returns, after the commit (protocol.md R11).
 */
export class EdgeStore {
  readonly objects: ObjectTable;
  readonly outbox: Outbox;
  readonly revisions: RevisionLog;
  readonly events: EventRecorder;
  /** The hubs this edge may dial (protocol.md R45). */
  readonly hubs: HubAddressTable;
  private readonly getState;
  private readonly setState;
  private readonly listeners = new Set<(changes: readonly ObjectChange[]) => void>();
  private readonly tombstoneLimit: number;
  private readonly confirmDeletions: boolean;
  /** Listener failures are counted rather than allowed to undo or block an ack. */
  listenerFailures = 0;
  lastListenerError: unknown;

  private constructor(readonly db: EdgeDatabase, options: EdgeStoreOptions) {
    this.objects = new ObjectTable(db);
    this.outbox = new Outbox(db);
    this.revisions = new RevisionLog(db);
    this.events = new EventRecorder(db, this.outbox);
    this.hubs = new HubAddressTable(db);
    this.tombstoneLimit = options.tombstoneLimit ?? DEFAULT_TOMBSTONE_LIMIT;
    this.confirmDeletions = options.confirmDeletions ?? true;
    this.getState = db.prepare<[string]>('SELECT value FROM sync_state WHERE key = ?');
    this.setState = db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  static open(file: string, options: EdgeStoreOptions = {}): Result<EdgeStore> {
    const db = openEdgeDatabase(file);
    if (!db.ok) return db;
    return ok(new EdgeStore(db.value, options));
  }

  /** Calls `listener` after each commit that changed objects, in revision order. */
  onChange(listener: (changes: readonly ObjectChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a batch in one transaction. A pod that arrives with a deletionTimestamp also queues
   * its final delete in the same transaction (protocol.md R18), so neither is lost without the other.
   */
  applyDownstream(changes: readonly DownstreamChange[]): Result<Committed[]> {
    try {
      const events: ObjectChange[] = [];
      const committed = this.db.transaction(() => {
        const out: Committed[] = [];
        for (const change of changes) {
          if (change.kind === 'delete') {
            this.applyDelete(change.uid, events);
            out.push({ uid: change.uid, resourceVersion: change.resourceVersion });
            continue;
          }
          const meta = change.object.metadata;
          const wrote = this.applyUpsert(change.object, events);
          if (wrote && this.confirmDeletions && change.object.kind === 'Pod' && typeof meta.deletionTimestamp === 'string' && meta.namespace !== undefined) {
            this.confirmPodDeletion({ namespace: meta.namespace, name: meta.name, uid: meta.uid });
          }
          out.push({ uid: meta.uid, resourceVersion: meta.resourceVersion });
        }
        if (events.some((e) => e.type === 'DELETED')) this.revisions.compact(this.tombstoneLimit);
        return out;
      })();
      this.emit(events);
      return ok(committed);
    } catch (err) {
      return fail('Unavailable', `edge.db write failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Writes a new version under a fresh edge revision; the very version already held is a no-op. */
  private applyUpsert(object: WireObject, events: ObjectChange[]): boolean {
    const meta = object.metadata;
    const previous = this.objects.byUid(meta.uid);
    if (previous?.resourceVersion === meta.resourceVersion) return false;
    const revision = this.revisions.next();
    this.objects.write(object, revision, previous?.createdRevision ?? revision);
    events.push({
      type: previous === undefined ? 'ADDED' : 'MODIFIED', revision, uid: meta.uid, kind: object.kind,
      namespace: meta.namespace ?? '', name: meta.name, object, ...(previous === undefined ? {} : { previous: previous.object }),
    });
    return true;
  }

  /** Removes the object (deleted objects are not kept) and leaves a bounded tombstone for watches. */
  private applyDelete(uid: string, events: ObjectChange[]): void {
    const previous = this.objects.byUid(uid);
    if (previous === undefined || !this.objects.remove(uid)) return;
    const revision = this.revisions.next();
    this.revisions.addTombstone(previous, revision);
    events.push({ type: 'DELETED', revision, uid, kind: previous.kind, namespace: previous.namespace, name: previous.name, object: previous.object, previous: previous.object });
  }

  private emit(events: readonly ObjectChange[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (err) {
        // A reader's bug must not turn a committed batch into a failed one (the ack depends on it).
        this.listenerFailures++;
        this.lastListenerError = err;
      }
    }
  }

  /** Queues a pod's status report (coalesced per pod: R14). */
  reportPodStatus(pod: { namespace: string; name: string; uid: string }, status: Record<string, unknown>): number {
    return this.outbox.enqueue(`podStatus/${pod.namespace}/${pod.name}`, 'podStatus', { ...pod, status });
  }

  /** Queues the final delete of a pod whose containers are gone (protocol.md R16, R18): uid precondition. */
  confirmPodDeletion(pod: { namespace: string; name: string; uid: string }): number {
    return this.outbox.enqueue(`podDelete/${pod.namespace}/${pod.name}`, 'podDelete', { ...pod });
  }

  /** Records one occurrence of an event; it goes up as part of its series (protocol.md R25). */
  recordEvent(event: EdgeEvent): boolean {
    return this.events.record(event);
  }

  reportNodeStatus(nodeName: string, status: Record<string, unknown>): number {
    return this.outbox.enqueue(`nodeStatus/${nodeName}`, 'nodeStatus', { nodeName, status });
  }

  state(key: string): string | undefined {
    return optionalRow(parseSyncStateValueRow, this.getState.get(key))?.value;
  }

  setStateValue(key: string, value: string): void {
    this.setState.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
