import { describe, expect, it } from 'vitest';
import { maskJoinToken, renderEnvFile } from './env-file.js';

const TOKEN = `${'a'.repeat(64)}.abcdef.0123456789abcdef`;

describe('the environment file', () => {
  it('holds each secret as NAME=value, and masked for --dry-run', () => {
    const entries = [{ name: 'OUTPOST_TOKEN', value: TOKEN, masked: maskJoinToken(TOKEN) }];
    const text = renderEnvFile('outpost-edge.service', entries);
    expect(text.ok && text.value.split('\n')).toContain(`OUTPOST_TOKEN=${TOKEN}`);
    const masked = renderEnvFile('outpost-edge.service', entries, true);
    expect(masked.ok && masked.value).toContain(`OUTPOST_TOKEN=${'a'.repeat(64)}.abcdef.${'*'.repeat(16)}`);
    expect(masked.ok && masked.value).not.toContain('0123456789abcdef');
  });

  it('quotes a value with spaces, quotes or dollars, and refuses a control character', () => {
    const text = renderEnvFile('u', [{ name: 'OUTPOST_CLUSTER_SECRET', value: 'a b"c$d\\e', masked: '********' }]);
    expect(text.ok && text.value).toContain('OUTPOST_CLUSTER_SECRET="a b\\"c\\$d\\\\e"\n');
    expect(renderEnvFile('u', [{ name: 'X', value: 'a\nb', masked: '' }])).toMatchObject({ ok: false, code: 'Invalid' });
  });

  it('masks everything of a value that is no join token', () => {
    expect(maskJoinToken('nodots')).toBe('********');
  });
});
