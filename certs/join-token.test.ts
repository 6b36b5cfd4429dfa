import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { caCertificateHash, formatJoinToken, generateJoinToken, hashTokenSecret, parseDuration, parseJoinToken, tokenSecretMatches } from './join-token.js';
import { buildTokenSecret, readTokenSecret } from './join-token-secret.js';

describe('join tokens', () => {
  it('round-trips <ca hash>.<id>.<secret> and pins the CA by the sha256 of its DER', async () => {
    const ca = await createCa();
    const hash = caCertificateHash(ca.certPem);
    expect(hash).toEqual({ ok: true, value: createHash('sha256').update(new X509Certificate(ca.certPem).raw).digest('hex') });
    const token = generateJoinToken(hash.ok ? hash.value : '');
    expect(token.id).toMatch(/^[a-z0-9]{6}$/);
    expect(token.secret).toMatch(/^[a-z0-9]{16}$/);
    expect(parseJoinToken(formatJoinToken(token))).toEqual({ ok: true, value: token });
  });

  it('refuses malformed tokens without echoing them', () => {
    for (const text of ['', 'abc', `${'a'.repeat(64)}.ABCDEF.0123456789abcdef`, `${'a'.repeat(63)}.abcdef.0123456789abcdef`, `${'a'.repeat(64)}.abcdef.short`]) {
      const parsed = parseJoinToken(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).not.toContain(text === '' ? '\u0000' : text);
    }
  });

  it('compares secrets against their stored hash only', () => {
    const stored = hashTokenSecret('0123456789abcdef');
    expect(tokenSecretMatches('0123456789abcdef', stored)).toBe(true);
    expect(tokenSecretMatches('0123456789abcdeg', stored)).toBe(false);
    expect(tokenSecretMatches('0123456789abcdef', 'not-hex')).toBe(false);
  });

  it('parses --ttl durations', () => {
    expect(parseDuration('24h')).toEqual({ ok: true, value: 86_400 });
    expect(parseDuration('1h30m')).toEqual({ ok: true, value: 5_400 });
    expect(parseDuration('0')).toEqual({ ok: true, value: 0 });
    expect(parseDuration('90s')).toEqual({ ok: true, value: 90 });
    expect(parseDuration('1x').ok).toBe(false);
    expect(parseDuration('h').ok).toBe(false);
  });
});

describe('join token Secrets', () => {
  it('hold the hash, expiry, node binding and revocation, never the secret', () => {
    const expiresAt = new Date('2030-01-02T03:04:05Z');
    const revokedAt = new Date('2030-01-01T00:00:00Z');
    const secret = buildTokenSecret({ id: 'abc123', secretHash: hashTokenSecret('0123456789abcdef'), expiresAt, nodeName: 'n1', description: 'd', revokedAt });
    expect(secret.metadata.name).toBe('bootstrap-token-abc123');
    expect(secret.type).toBe('bootstrap.kubernetes.io/token');
    expect(JSON.stringify(secret)).not.toContain(Buffer.from('0123456789abcdef').toString('base64'));
    expect(readTokenSecret(secret)).toEqual({
      ok: true,
      value: { id: 'abc123', secretHash: hashTokenSecret('0123456789abcdef'), expiresAt, nodeName: 'n1', description: 'd', revokedAt },
    });
  });

  it('rejects a Secret of another type or with edited fields', () => {
    const secret = buildTokenSecret({ id: 'abc123', secretHash: hashTokenSecret('x') });
    expect(readTokenSecret({ ...secret, type: 'Opaque' }).ok).toBe(false);
    expect(readTokenSecret({ ...secret, metadata: { name: 'bootstrap-token-zzzzzz' } }).ok).toBe(false);
    const data = { ...(secret.data as Record<string, string>), expiration: Buffer.from('tomorrow').toString('base64') };
    expect(readTokenSecret({ ...secret, data }).ok).toBe(false);
  });
});
