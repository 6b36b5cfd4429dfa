import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { value } from '../contracts/storage/store-contract.js';
import { createSqliteStore } from '../../cloudcore/storage/sqlite/sqlite-store.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'outpost-crash-'));
const build = join(dir, 'build');

/**
 * The child writes as fast as it can from 8 concurrent writers and prints each write only after
 * its promise resolved. It is killed with SIGKILL mid-stream, so some batches are mid-commit.
 */
const CHILD = `
import { createSqliteStore } from './cloudcore/storage/index.js';
const store = createSqliteStore({ file: process.argv[2] });
await store.start(new AbortController().signal);
let next = 0;
async function writer() {
  for (;;) {
    const key = '/crash/' + String(next++).padStart(8, '0');
    const result = await store.create(key, 'value of ' + key);
    if (!result.ok) throw new Error(result.message);
    process.stdout.write(key + ' ' + result.value.modRevision + '\\n');
  }
}
for (let i = 0; i < 8; i++) void writer();
`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  // The child runs the compiled store from dist/, which `npm test` builds before vitest runs.
  const compiled = join(repo, 'dist', 'cloudcore', 'storage', 'index.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` first`);
  mkdirSync(build, { recursive: true });
  writeFileSync(join(build, 'child.mjs'), CHILD.replace('./cloudcore/storage/index.js', pathToFileURL(compiled).href));
});

/** Runs the child until it reported `count` committed writes, then kills it with SIGKILL. */
function writeThenKill(file: string, count: number): Promise<Map<string, number>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(build, 'child.mjs'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed = new Map<string, number>();
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // a line cut by the kill is not counted
      for (const line of lines) {
        const [key, revision] = line.split(' ');
        if (key !== undefined && revision !== undefined) committed.set(key, Number(revision));
      }
      if (committed.size >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(committed);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('sqlite store durability', () => {
  it('keeps every write whose promise resolved before the process was killed', async () => {
    const file = join(dir, 'data', 'state.db');
    const committed = await writeThenKill(file, 2000);
    expect(committed.size).toBeGreaterThanOrEqual(2000);

    const store = createSqliteStore({ file });
    await store.start(new AbortController().signal);
    for (const [key, revision] of committed) {
      expect(value(await store.get(key))?.modRevision, key).toBe(revision);
    }
    expect(store.currentRevision()).toBeGreaterThanOrEqual(Math.max(...committed.values()));
    // The log has no holes: every revision up to the current one is a committed write.
    expect(await store.count('/crash/')).toBe(store.currentRevision());
    await store.stop();
  });
});
