import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeServiceFiles, writeServiceFiles } from './service-files.js';
import type { ServicePlan } from './service-plan.js';

function plan(dir: string): ServicePlan {
  return {
    role: 'edge', unitName: 'outpost-edge.service', unitFile: join(dir, 'units', 'outpost-edge.service'), envFile: join(dir, 'env', 'outpost-edge'),
    unit: '[Unit]\n', env: 'OUTPOST_TOKEN=x\n', envMasked: 'OUTPOST_TOKEN=*\n',
  };
}

describe('service files', () => {
  it('writes the unit 0644 and the environment file 0600 whatever the umask, creating their folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-svc-files-'));
    const p = plan(dir);
    const before = process.umask(0o077);
    try {
      expect(await writeServiceFiles(p)).toEqual({ ok: true, value: undefined });
    } finally {
      process.umask(before);
    }
    expect(statSync(p.unitFile).mode & 0o777).toBe(0o644);
    expect(statSync(p.envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(p.envFile, 'utf8')).toBe('OUTPOST_TOKEN=x\n');
  });

  it('rewrites a world-readable environment file as 0600, and removes only what is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-svc-files-'));
    const p = plan(dir);
    await writeServiceFiles({ ...p, env: 'A=1\n' });
    chmodSync(p.envFile, 0o644);
    await writeServiceFiles(p);
    expect(statSync(p.envFile).mode & 0o777).toBe(0o600);
    expect(await removeServiceFiles([p.unitFile, p.envFile, join(dir, 'absent')])).toEqual([p.unitFile, p.envFile]);
    expect(existsSync(p.unitFile)).toBe(false);
  });
});
