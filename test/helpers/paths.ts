import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled CLI; `npm test` builds before running vitest. */
export const OUTPOST_CLI = join(REPO_ROOT, 'dist', 'cli', 'outpost.js');

/** A fresh private folder for one test's data. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `outpost-${prefix}-`));
}
