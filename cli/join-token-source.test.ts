import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveJoinToken } from './join-token-source.js';

describe('join token source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'token-source-'));

  it('reads --token, else --token-file (trimmed), else OUTPOST_TOKEN', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'from-file\n', { mode: 0o600 });
    expect(resolveJoinToken({ token: 'from-flag' }, { OUTPOST_TOKEN: 'from-env' })).toBe('from-flag');
    expect(resolveJoinToken({ tokenFile: file }, { OUTPOST_TOKEN: 'from-env' })).toBe('from-file');
    expect(resolveJoinToken({}, { OUTPOST_TOKEN: ' from-env ' })).toBe('from-env');
    expect(resolveJoinToken({}, {})).toBeUndefined();
  });

  it('refuses both flags, an empty file and a missing one, saying which', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => resolveJoinToken({ token: 'a', tokenFile: empty })).toThrow('give the join token once: --token or --token-file, not both');
    expect(() => resolveJoinToken({ tokenFile: empty })).toThrow(`--token-file ${empty} is empty`);
    expect(() => resolveJoinToken({ tokenFile: join(dir, 'missing') })).toThrow(/cannot read --token-file .*missing/);
  });
});
