import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCurrentPayload, validatePayloadPath, writeAtomically, type Payload } from './atomic-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const payload = (entries: Record<string, string | [string, number]>): Payload =>
  new Map(Object.entries(entries).map(([path, value]) => [path, typeof value === 'string' ? { data: Buffer.from(value), mode: 0o644 } : { data: Buffer.from(value[0]), mode: value[1] }]));

const versions = (): string[] => readdirSync(dir).filter((e) => e.startsWith('..') && e !== '..data');
const ok = <T>(result: { ok: true; value: T } | { ok: false; message: string }): T => {
  if (!result.ok) throw new Error(result.message);
  return result.value;
};

describe('writeAtomically', () => {
  it('writes a timestamped version, a ..data link to it, and user-visible links through ..data', () => {
    expect(ok(writeAtomically(dir, payload({ 'app.conf': 'a=1', 'other': 'x' }), new Date(Date.UTC(2024, 0, 2, 3, 4, 5))))).toEqual({ changed: true });
    const [version] = versions();
    expect(version).toMatch(/^\.\.2024_01_02_03_04_05\.\w+$/);
    expect(readlinkSync(join(dir, '..data'))).toBe(version);
    expect(readlinkSync(join(dir, 'app.conf'))).toBe('..data/app.conf');
    expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe('a=1');
    expect(statSync(join(dir, version ?? '')).mode & 0o777).toBe(0o755);
  });

  it('swaps to a new version on change, removes the old one and the keys that are gone', () => {
    ok(writeAtomically(dir, payload({ a: '1', b: '2' })));
    const [first] = versions();
    expect(ok(writeAtomically(dir, payload({ a: 'one', c: '3' })))).toEqual({ changed: true });
    const after = versions();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('one');
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe('3');
    expect(() => lstatSync(join(dir, 'b'))).toThrow(/ENOENT/);
    expect(readdirSync(dir).sort()).toEqual(['..data', after[0], 'a', 'c'].sort());
  });

  it('writes nothing when neither bytes nor modes changed, and rewrites on a mode change', () => {
    ok(writeAtomically(dir, payload({ a: '1' })));
    const [first] = versions();
    expect(ok(writeAtomically(dir, payload({ a: '1' })))).toEqual({ changed: false });
    expect(versions()).toEqual([first]);
    expect(ok(writeAtomically(dir, payload({ a: ['1', 0o400] })))).toEqual({ changed: true });
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o400);
  });

  it('gives each file its mode whatever the umask, and nests paths under their top-level link', () => {
    const previous = process.umask(0o077);
    try {
      ok(writeAtomically(dir, payload({ 'conf/app.yaml': ['x: 1', 0o644], 'run.sh': ['echo', 0o755] })));
    } finally {
      process.umask(previous);
    }
    expect(readlinkSync(join(dir, 'conf'))).toBe('..data/conf');
    expect(readFileSync(join(dir, 'conf', 'app.yaml'), 'utf8')).toBe('x: 1');
    expect(statSync(join(dir, 'conf', 'app.yaml')).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
    expect([...readCurrentPayload(dir).keys()].sort()).toEqual(['conf/app.yaml', 'run.sh']);
  });

  it('an empty payload still makes a ..data version; a later one removes every old key', () => {
    ok(writeAtomically(dir, payload({ a: '1' })));
    expect(ok(writeAtomically(dir, new Map()))).toEqual({ changed: true });
    expect(readdirSync(dir).filter((e) => !e.startsWith('..'))).toEqual([]);
    expect(ok(writeAtomically(dir, new Map()))).toEqual({ changed: false });
  });

  it('recreates a user-visible link removed by hand', () => {
    ok(writeAtomically(dir, payload({ a: '1' })));
    rmSync(join(dir, 'a'));
    expect(ok(writeAtomically(dir, payload({ a: '1' })))).toEqual({ changed: false });
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('1');
  });

  it('refuses paths that could escape the volume or hide in its own names', () => {
    for (const path of ['/etc/passwd', '../x', 'a/../../x', '..data', '..hidden', 'a//b', '']) {
      expect(validatePayloadPath(path).ok, path).toBe(false);
    }
    expect(validatePayloadPath('dir/file.txt').ok).toBe(true);
    const refused = writeAtomically(dir, payload({ '../escape': 'x' }));
    expect(refused.ok).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
