import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServiceAccountTokens } from './service-account-tokens.js';
import { prepareSubPaths } from './sub-paths.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-subpath-'));
  mkdirSync(join(dir, 'vol'), { mode: 0o777 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('prepareSubPaths', () => {
  it("creates a missing subPath inside its volume with the volume's mode; whole-volume mounts need nothing", () => {
    const volumes = new Map([['data', { hostPath: join(dir, 'vol'), readOnly: false }]]);
    expect(prepareSubPaths([{ hostPath: join(dir, 'vol') }, { hostPath: join(dir, 'vol', 'a', 'b') }, { hostPath: '/etc/hostname' }], volumes).ok).toBe(true);
    expect(statSync(join(dir, 'vol', 'a', 'b')).isDirectory()).toBe(true);
  });

  it('refuses a subPath that a symbolic link in the volume leads outside it', () => {
    mkdirSync(join(dir, 'outside'));
    symlinkSync(join(dir, 'outside'), join(dir, 'vol', 'escape'));
    const volumes = new Map([['data', { hostPath: join(dir, 'vol'), readOnly: false }]]);
    const result = prepareSubPaths([{ hostPath: join(dir, 'vol', 'escape') }], volumes);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('outside its volume');
  });
});

describe('service-account tokens', () => {
  it('one opaque token per pod, recognized until revoked; an adopted token is kept', () => {
    const tokens = createServiceAccountTokens();
    const owner = { podUid: 'u1', namespace: 'apps', serviceAccountName: 'reader' };
    const token = tokens.issue(owner);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.issue(owner)).toBe(token);
    expect(tokens.authenticate(token)).toEqual({ kind: 'service-account', namespace: 'apps', name: 'reader' });
    expect(tokens.authenticate(`${token}x`)).toBeUndefined();
    tokens.revoke('u1');
    expect(tokens.authenticate(token)).toBeUndefined();
    const again = createServiceAccountTokens();
    expect(again.issue(owner, token)).toBe(token);
    expect(again.issue({ ...owner, podUid: 'u2' }, 'not a token')).not.toBe('not a token');
    expect(again.size).toBe(2);
  });
});
