import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { podBody } from './workload.js';

export interface SqliteBaselineFigures {
  singleRowsPerSecond: number;
  singleRows: number;
  batchedRowsPerSecond: number;
  batchedRows: number;
  batchSize: number;
  valueBytes: number;
}

/**
 * The ceiling the API is measured against: raw better-sqlite3 inserts into a fresh file in this
 * run's tmp folder, configured as the store configures state.db (WAL, synchronous=FULL, the same
 * revision-log table and index), with a pod-sized JSON value as the server stores it. Once with
 * one row per transaction (one fsync each) and once with `batchSize` rows per transaction, as the
 * store's group commit does.
 */
export function runSqliteBaseline(opts: { dir: string; singleRows: number; batchedRows: number; batchSize: number }): SqliteBaselineFigures {
  const db = new Database(join(opts.dir, 'baseline.db'));
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE log (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, created INTEGER NOT NULL, deleted INTEGER NOT NULL,
        create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL, old_value TEXT
      );
      CREATE INDEX log_name_id ON log (name, id);
    `);
    const insert = db.prepare(
      'INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value, old_value) VALUES (?, ?, 1, 0, ?, 0, ?, NULL)',
    );
    // Values are built before the clock starts: the baseline measures SQLite, not JSON work.
    const total = opts.singleRows + opts.batchedRows;
    const names = Array.from({ length: total }, (_, i) => `/registry/pods/baseline/pod-${i + 1}`);
    const values = names.map((name, i) => storedPodValue(name, i + 1));
    let id = 0;
    const insertOne = (): void => {
      id++;
      insert.run(id, names[id - 1], id, values[id - 1]);
    };
    const insertMany = db.transaction((count: number) => {
      for (let i = 0; i < count; i++) insertOne();
    });

    const singleStarted = performance.now();
    for (let i = 0; i < opts.singleRows; i++) insertMany(1);
    const singleMs = performance.now() - singleStarted;

    const batchedStarted = performance.now();
    for (let done = 0; done < opts.batchedRows; done += opts.batchSize) insertMany(Math.min(opts.batchSize, opts.batchedRows - done));
    const batchedMs = performance.now() - batchedStarted;

    return {
      singleRowsPerSecond: opts.singleRows / (singleMs / 1000),
      singleRows: opts.singleRows,
      batchedRowsPerSecond: opts.batchedRows / (batchedMs / 1000),
      batchedRows: opts.batchedRows,
      batchSize: opts.batchSize,
      valueBytes: Buffer.byteLength(values[0] ?? ''),
    };
  } finally {
    db.close();
  }
}

/** The benchmark's pod as the API server would store it: with uid, timestamps and status. */
export function storedPodValue(name: string, revision: number): string {
  const pod = JSON.parse(podBody(name.slice(name.lastIndexOf('/') + 1))) as { metadata: Record<string, unknown> } & Record<string, unknown>;
  pod.metadata = {
    ...pod.metadata,
    namespace: 'baseline',
    uid: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  pod.spec = { ...(pod.spec as object), dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 };
  pod.status = { phase: 'Pending', qosClass: 'Burstable' };
  return JSON.stringify(pod);
}
