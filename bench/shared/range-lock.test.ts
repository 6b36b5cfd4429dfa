import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reserveFirstFree } from './range-lock.js';

const dirs: string[] = [];
function lockDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-range-lock-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid that surely names no process: one that just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('reserveFirstFree', () => {
  it('takes the first name whose lock is free, writing our pid, and release frees it', () => {
    const dir = lockDir();
    const first = reserveFirstFree(dir, ['7', '8', '9']);
    const second = reserveFirstFree(dir, ['7', '8', '9']);
    if (!first.ok || !second.ok) throw new Error('not reserved');
    expect([first.value.name, second.value.name]).toEqual(['7', '8']);
    expect(readFileSync(join(dir, '7.lock'), 'utf8')).toBe(String(process.pid));
    first.value.release();
    first.value.release();
    const again = reserveFirstFree(dir, ['7', '8', '9']);
    expect(again.ok && again.value.name).toBe('7');
    second.value.release();
    if (again.ok) again.value.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('skips locks of live processes and takes over those of dead ones or holding no pid', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'a.lock'), String(process.ppid));
    writeFileSync(join(dir, 'b.lock'), String(deadPid()));
    writeFileSync(join(dir, 'c.lock'), '');
    const b = reserveFirstFree(dir, ['a', 'b']);
    expect(b.ok && b.value.name).toBe('b');
    expect(readFileSync(join(dir, 'b.lock'), 'utf8')).toBe(String(process.pid));
    const c = reserveFirstFree(dir, ['a', 'b', 'c']);
    expect(c.ok && c.value.name).toBe('c');
    expect(readdirSync(dir).sort()).toEqual(['a.lock', 'b.lock', 'c.lock']);
    if (b.ok) b.value.release();
    if (c.ok) c.value.release();
    expect(readdirSync(dir)).toEqual(['a.lock']);
  });

  it('fails with Unavailable when every name is held', () => {
    const dir = lockDir();
    writeFileSync(join(dir, 'x.lock'), String(process.ppid));
    const none = reserveFirstFree(dir, ['x']);
    expect(!none.ok && none.code).toBe('Unavailable');
  });
});
