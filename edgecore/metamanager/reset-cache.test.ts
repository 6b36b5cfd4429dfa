import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeStore, moveEdgeDatabaseAside } from './index.js';

describe('moveEdgeDatabaseAside', () => {
  it('keeps a damaged edge.db (and its WAL) as a copy, and the next open starts empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-reset-'));
    const file = join(dir, 'edge.db');
    writeFileSync(file, 'garbage '.repeat(1000));
    const damaged = EdgeStore.open(file);
    expect(!damaged.ok && damaged.message).toMatch(/--reset-cache/);
    writeFileSync(`${file}-wal`, 'stale wal');
    const moved = await moveEdgeDatabaseAside(file, new Date('2026-01-02T03:04:05.678Z'));
    expect(moved).toEqual({ ok: true, value: `${file}.reset-2026-01-02T03-04-05-678Z` });
    expect(existsSync(`${file}.reset-2026-01-02T03-04-05-678Z-wal`)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const fresh = EdgeStore.open(file);
    expect(fresh.ok && fresh.value.objects.inventory()).toEqual({});
    if (fresh.ok) fresh.value.close();
    expect(await moveEdgeDatabaseAside(join(dir, 'none.db'))).toEqual({ ok: true, value: undefined });
  });
});
