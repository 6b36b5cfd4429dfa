import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCloudStopped } from './cloud-stopped.js';

const dir = mkdtempSync(join(tmpdir(), 'outpost-cloud-stopped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Above Linux's largest pid_max (2^22): no process can have it. */
const NO_SUCH_PID = 4_194_305;

function endpointsOf(pid: number, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ pid, api: 'https://127.0.0.1:1' }));
  return file;
}

describe('checkCloudStopped', () => {
  it('passes without endpoints.json, and when its pid is gone', async () => {
    expect(await checkCloudStopped(join(dir, 'missing.json'))).toEqual({ ok: true, value: undefined });
    expect(await checkCloudStopped(endpointsOf(NO_SUCH_PID, 'gone.json'))).toEqual({ ok: true, value: undefined });
  });

  it('refuses while the process named in endpoints.json runs', async () => {
    // The test runner's parent stands in for a running cloudcore: it is alive and is not us.
    const checked = await checkCloudStopped(endpointsOf(process.ppid, 'running.json'));
    expect(checked).toMatchObject({ ok: false, code: 'Conflict' });
    expect(checked.ok ? '' : checked.message).toContain(`pid ${process.ppid}`);
  });
});
