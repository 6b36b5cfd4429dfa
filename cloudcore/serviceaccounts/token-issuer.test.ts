import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keysFromJwks, verifyServiceAccountToken } from '../../shared/serviceaccount/index.js';
import { createServiceAccountTokenIssuer, DEFAULT_SERVICE_ACCOUNT_ISSUER, parseSigningKey, signingKeyFrom } from './index.js';


describe('service-account signing key', () => {
  it('reads back an EC P-256 key with the kid kube-apiserver computes', () => {
    const key = signingKeyFrom();
    const parsed = parseSigningKey(key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(parsed.ok && parsed.value.keyId).toBe(key.keyId);
  });
  it('refuses what is not a key, and a key of another kind', () => {
    expect(parseSigningKey('not a key')).toMatchObject({ ok: false, code: 'Invalid' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(parseSigningKey(rsa)).toMatchObject({ ok: false, code: 'Invalid', message: expect.stringContaining('not an EC P-256 key') });
  });
});

describe('service-account token issuer', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const signingKey = signingKeyFrom();
  const issuer = createServiceAccountTokenIssuer({ signingKey, now: () => now });
  const verify = (token: string, audiences: readonly string[] = issuer.apiAudiences) =>
    verifyServiceAccountToken(token, { keys: keysFromJwks(issuer.jwks()), issuer: issuer.issuer, audiences, now: now.getTime() / 1000 });

  it('defaults the issuer and the API audiences as kube-apiserver does', () => {
    expect(issuer.issuer).toBe(DEFAULT_SERVICE_ACCOUNT_ISSUER);
    expect(issuer.apiAudiences).toEqual([DEFAULT_SERVICE_ACCOUNT_ISSUER]);
    expect(issuer.jwks().keys[0]).toMatchObject({ kid: signingKey.keyId, kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(issuer.jwks().keys[0]).not.toHaveProperty('d');
  });

  it("writes Kubernetes' claims for a pod-bound token", () => {
    const issued = issuer.issue({
      namespace: 'shop',
      serviceAccountName: 'app',
      serviceAccountUid: 'sa-uid',
      audiences: [],
      expirationSeconds: 3607,
      boundObject: { kind: 'Pod', name: 'web-1', uid: 'pod-uid' },
      node: { name: 'edge-1', uid: 'node-uid' },
    });
    expect(issued.expirationTimestamp).toBe('2026-12-01T11:00:07Z');
    expect(issued.audiences).toEqual([DEFAULT_SERVICE_ACCOUNT_ISSUER]);
    const header = JSON.parse(Buffer.from(issued.token.split('.')[0] ?? '', 'base64url').toString()) as unknown;
    expect(header).toEqual({ alg: 'ES256', kid: signingKey.keyId });
    const claims = verify(issued.token);
    if (!claims.ok) throw new Error(claims.message);
    const iat = now.getTime() / 1000;
    expect(claims.value).toMatchObject({
      iss: DEFAULT_SERVICE_ACCOUNT_ISSUER,
      sub: 'system:serviceaccount:shop:app',
      aud: [DEFAULT_SERVICE_ACCOUNT_ISSUER],
      iat,
      nbf: iat,
      exp: iat + 3607,
      'kubernetes.io': { namespace: 'shop', serviceaccount: { name: 'app', uid: 'sa-uid' }, pod: { name: 'web-1', uid: 'pod-uid' }, node: { name: 'edge-1', uid: 'node-uid' } },
    });
    expect(claims.value.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the audiences asked for, and a secret binding', () => {
    const issued = issuer.issue({
      namespace: 'default',
      serviceAccountName: 'default',
      serviceAccountUid: 'u',
      audiences: ['vault'],
      expirationSeconds: 600,
      boundObject: { kind: 'Secret', name: 's', uid: 'su' },
    });
    expect(verify(issued.token).ok).toBe(false);
    const claims = verify(issued.token, ['vault']);
    expect(claims.ok && claims.value['kubernetes.io']).toEqual({ namespace: 'default', serviceaccount: { name: 'default', uid: 'u' }, secret: { name: 's', uid: 'su' } });
  });

  it('keeps a configured issuer and audiences', () => {
    const custom = createServiceAccountTokenIssuer({ signingKey, issuer: 'https://outpost.example', apiAudiences: ['api', 'https://outpost.example'] });
    expect(custom.issuer).toBe('https://outpost.example');
    expect(custom.apiAudiences).toEqual(['api', 'https://outpost.example']);
  });
});
