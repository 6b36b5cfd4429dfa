import { describe, expect, it } from 'vitest';
import { deriveSealingKey, seal, SEALED_VERSION, unseal } from './sealing.js';

const secret = 'a-cluster-secret-of-enough-length';
const plaintext = Buffer.from('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');

describe('sealing with the cluster secret', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const key = deriveSealingKey(secret);
    const sealed = seal(key, 'caKey', plaintext);
    expect(Buffer.from(sealed, 'base64').includes(plaintext)).toBe(false);
    expect(Buffer.from(sealed, 'base64')[0]).toBe(SEALED_VERSION);
    const opened = unseal(key, 'caKey', sealed);
    expect(opened.ok && opened.value.equals(plaintext)).toBe(true);
  });

  it('uses a fresh nonce for every value', () => {
    const key = deriveSealingKey(secret);
    expect(seal(key, 'caKey', plaintext)).not.toBe(seal(key, 'caKey', plaintext));
  });

  it('refuses a value opened with the wrong secret', () => {
    const sealed = seal(deriveSealingKey(secret), 'caKey', plaintext);
    expect(unseal(deriveSealingKey('another-secret-of-enough-length'), 'caKey', sealed)).toMatchObject({ ok: false, code: 'Unauthorized' });
  });

  it('refuses a value whose ciphertext, nonce or tag was changed', () => {
    const key = deriveSealingKey(secret);
    const bytes = Buffer.from(seal(key, 'caKey', plaintext), 'base64');
    for (const index of [1, 20, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(unseal(key, 'caKey', tampered.toString('base64'))).toMatchObject({ ok: false, code: 'Unauthorized' });
    }
  });

  it('refuses a value moved under another name (the name is additional data)', () => {
    const key = deriveSealingKey(secret);
    const sealed = seal(key, 'caKey', plaintext);
    expect(unseal(key, 'serviceAccountKey', sealed)).toMatchObject({ ok: false, code: 'Unauthorized' });
  });

  it('reports an unknown format version or a truncated value as damaged', () => {
    const key = deriveSealingKey(secret);
    const bytes = Buffer.from(seal(key, 'caKey', plaintext), 'base64');
    bytes[0] = 9;
    expect(unseal(key, 'caKey', bytes.toString('base64'))).toMatchObject({ ok: false, code: 'Invalid' });
    expect(unseal(key, 'caKey', Buffer.from([SEALED_VERSION, 1, 2]).toString('base64'))).toMatchObject({ ok: false, code: 'Invalid' });
  });
});
