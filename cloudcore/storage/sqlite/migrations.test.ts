import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations, type Migration } from './migrations.js';
import { openDatabase } from './open-database.js';

const dir = mkdtempSync(join(tmpdir(), 'outpost-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const latest = Math.max(...migrations.map((step) => step.version));

describe('schema migrations', () => {
  it('brings a fresh database to the latest version', () => {
    const db = openDatabase(join(dir, 'fresh.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['log', 'log_name_id', 'meta']));
    db.close();
  });

  it('runs each step once, and only the new ones on a later open', () => {
    const file = join(dir, 'steps.db');
    const ran: number[] = [];
    const step = (version: number): Migration => ({
      version,
      description: `step ${version}`,
      up: (db) => {
        ran.push(version);
        db.exec(`CREATE TABLE t${version} (x INTEGER)`);
      },
    });
    openDatabase(file, [step(1), step(2)]).close();
    expect(ran).toEqual([1, 2]);
    openDatabase(file, [step(1), step(2)]).close();
    expect(ran).toEqual([1, 2]);
    const db = openDatabase(file, [step(1), step(2), step(3)]);
    expect(ran).toEqual([1, 2, 3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('rolls back a failing step, leaving the version unchanged', () => {
    const file = join(dir, 'failing.db');
    const broken: Migration = {
      version: 1,
      description: 'creates a table then fails',
      up: (db) => {
        db.exec('CREATE TABLE half (x INTEGER)');
        throw new Error('step failed');
      },
    };
    expect(() => openDatabase(file, [broken])).toThrow(/step failed/);
    const db = openDatabase(file, []);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer schema', () => {
    const file = join(dir, 'newer.db');
    const future: Migration = { version: latest + 1, description: 'from the future', up: () => undefined };
    openDatabase(file, [...migrations, future]).close();
    expect(() => openDatabase(file)).toThrow(/newer than this build supports/);
  });
});
