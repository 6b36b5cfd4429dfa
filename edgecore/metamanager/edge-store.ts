import { fail, ok, type Result } from '../../shared/errors.js';
import type { WireObject } from '../../shared/protocol/index.js';
import { ObjectTable } from './object-table.js';
import { openEdgeDatabase, type EdgeDatabase } from './open-edge-db.js';
import { Outbox } from './outbox.js';

/** One change from the cloud, as the edge hub hands it over. */
export type DownstreamChange =
  | { kind: 'upsert'; object: WireObject }
  | { kind: 'delete'; uid: string; resourceVersion: string };

export interface Committed {
  uid: string;
  resourceVersion: string;
}

/**
 * The edge's store (DESIGN.md: edgecore/metamanager): the objects sent down, the upstream outbox
 * and sync state, in one SQLite file. Downstream batches commit in one transaction, and the
 * caller acks only what this returns, after the commit (protocol.md R11).
 */
export class EdgeStore {
  readonly objects: ObjectTable;
  readonly outbox: Outbox;
  private readonly getState;
  private readonly setState;

  private constructor(readonly db: EdgeDatabase) {
    this.objects = new ObjectTable(db);
    this.outbox = new Outbox(db);
    this.getState = db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?');
    this.setState = db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  static open(file: string): Result<EdgeStore> {
    const db = openEdgeDatabase(file);
    if (!db.ok) return db;
    return ok(new EdgeStore(db.value));
  }

  /**
   * Applies a batch in one transaction. A pod that arrives with a deletionTimestamp also queues
   * its final delete in the same transaction (protocol.md R18), so neither is lost without the other.
   */
  applyDownstream(changes: readonly DownstreamChange[]): Result<Committed[]> {
    try {
      const committed = this.db.transaction(() => {
        const out: Committed[] = [];
        for (const change of changes) {
          if (change.kind === 'delete') {
            this.objects.remove(change.uid);
            out.push({ uid: change.uid, resourceVersion: change.resourceVersion });
            continue;
          }
          const meta = change.object.metadata;
          const wrote = this.objects.put(change.object);
          if (wrote && change.object.kind === 'Pod' && typeof meta.deletionTimestamp === 'string' && meta.namespace !== undefined) {
            this.outbox.enqueue(`podDelete/${meta.namespace}/${meta.name}`, 'podDelete', { namespace: meta.namespace, name: meta.name, uid: meta.uid });
          }
          out.push({ uid: meta.uid, resourceVersion: meta.resourceVersion });
        }
        return out;
      })();
      return ok(committed);
    } catch (err) {
      return fail('Unavailable', `edge.db write failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Queues a pod's status report (coalesced per pod: R14). */
  reportPodStatus(pod: { namespace: string; name: string; uid: string }, status: Record<string, unknown>): number {
    return this.outbox.enqueue(`podStatus/${pod.namespace}/${pod.name}`, 'podStatus', { ...pod, status });
  }

  reportNodeStatus(nodeName: string, status: Record<string, unknown>): number {
    return this.outbox.enqueue(`nodeStatus/${nodeName}`, 'nodeStatus', { nodeName, status });
  }

  state(key: string): string | undefined {
    return this.getState.get(key)?.value;
  }

  setStateValue(key: string, value: string): void {
    this.setState.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
