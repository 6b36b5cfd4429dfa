import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keysFromJwks, publicJwk, signServiceAccountToken, verifyServiceAccountToken } from './jwt.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = 1_800_000_000;
const claims = {
  iss: 'https://outpost.test',
  sub: 'system:serviceaccount:default:app',
  aud: ['https://outpost.test'],
  iat: now,
  nbf: now,
  exp: now + 3600,
  'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'app', uid: 'u1' } },
};
const keys = keysFromJwks({ keys: [publicJwk(privateKey, 'k1')] });
const options = { keys, issuer: 'https://outpost.test', audiences: ['https://outpost.test'], now };

describe('service-account JWT', () => {
  it('verifies what it signs, through the published JWKS', () => {
    const result = verifyServiceAccountToken(signServiceAccountToken(privateKey, 'k1', claims), options);
    expect(result.ok && result.value['kubernetes.io'].serviceaccount.name).toBe('app');
  });
  it('refuses a tampered payload, another audience, an unknown key and an expired token', () => {
    const token = signServiceAccountToken(privateKey, 'k1', claims);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'x' })).toString('base64url')}.${s}`;
    expect(verifyServiceAccountToken(forged, options)).toMatchObject({ ok: false, message: 'invalid signature' });
    expect(verifyServiceAccountToken(token, { ...options, audiences: ['other'] })).toMatchObject({ ok: false });
    expect(verifyServiceAccountToken(signServiceAccountToken(privateKey, 'k2', claims), options)).toMatchObject({ ok: false, message: 'unknown signing key' });
    expect(verifyServiceAccountToken(token, { ...options, now: now + 3600 + 61 })).toMatchObject({ ok: false, message: 'token has expired' });
  });
});
