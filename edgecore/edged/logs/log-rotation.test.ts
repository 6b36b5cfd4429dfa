import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeLogRuntime } from '../../../test/helpers/fake-log-runtime.js';
import { createLogRotator } from './log-rotation.js';
import { rotatedLogsOf } from './rotated-logs.js';

describe('container log rotation', () => {
  it('rotates a log above the size, reopens it and keeps at most maxFiles files', async () => {
    const runtime = new FakeLogRuntime();
    const big = runtime.add('web', 'CONTAINER_RUNNING', Array.from({ length: 50 }, (_, i) => `line ${i}`));
    const small = runtime.add('side', 'CONTAINER_RUNNING', ['tiny']);
    let second = 0;
    const rotator = createLogRotator({ cri: runtime.cri, logger: runtime.logger, maxBytes: 1024, maxFiles: 3, now: () => new Date(Date.UTC(2024, 0, 1, 0, 0, second++)) });
    for (let round = 0; round < 5; round++) {
      expect(await rotator.checkNow()).toEqual([big.logPath]);
      runtime.append(big, ...Array.from({ length: 50 }, (_, i) => `round ${round} line ${i}`));
    }
    expect(runtime.reopened.filter((id) => id === big.id)).toHaveLength(5);
    // Three files in all: the live one and the two newest rotated ones.
    const rotated = await rotatedLogsOf(big.logPath);
    expect(rotated.map((p) => p.slice(big.logPath.length))).toEqual(['.20240101-000003', '.20240101-000004']);
    expect(readFileSync(big.logPath, 'utf8')).toContain('round 4 line 49');
    expect(readFileSync(rotated[1] ?? '', 'utf8')).toContain('round 3 line 49');
    expect(statSync(small.logPath).size).toBeGreaterThan(0);
    expect(await rotatedLogsOf(small.logPath)).toEqual([]);
  });

  it('puts the file back when the runtime cannot reopen it', async () => {
    const runtime = new FakeLogRuntime();
    const c = runtime.add('web', 'CONTAINER_RUNNING', Array.from({ length: 50 }, (_, i) => `line ${i}`));
    const cri = runtime.cri;
    cri.reopenContainerLog = async () => ({ ok: false, code: 'Unavailable', message: 'no' });
    const rotator = createLogRotator({ cri, logger: runtime.logger, maxBytes: 1024, maxFiles: 3 });
    expect(await rotator.checkNow()).toEqual([]);
    expect(existsSync(c.logPath)).toBe(true);
    expect(await rotatedLogsOf(c.logPath)).toEqual([]);
  });
});
