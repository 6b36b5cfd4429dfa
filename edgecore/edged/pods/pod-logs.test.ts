import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeContainerLog } from './pod-logs.js';

describe('removeContainerLog', () => {
  it('removes the live log and its rotated files, nothing else', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'outpost-podlogs-')), 'web');
    mkdirSync(dir);
    const names = ['0.log', '0.log.20240101-000000', '0.log.20240101-000001', '1.log', '1.log.20240101-000000', '0.log.keep'];
    for (const n of names) writeFileSync(join(dir, n), 'x');
    expect(removeContainerLog(join(dir, '0.log')).ok).toBe(true);
    expect(names.filter((n) => existsSync(join(dir, n)))).toEqual(['1.log', '1.log.20240101-000000', '0.log.keep']);
    expect(removeContainerLog(join(dir, 'gone.log')).ok).toBe(true);
  });
});
