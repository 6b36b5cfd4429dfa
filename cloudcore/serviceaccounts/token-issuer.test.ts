import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keysFromJwks, verifyServiceAccountToken } from '../../shared/serviceaccount/index.js';
import { createServiceAccountTokenIssuer, DEFAULT_SERVICE_ACCOUNT_ISSUER, ensureServiceAccountSigningKey, signingKeyFrom } from './index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('service-account signing key', () => {
  it('is made once with mode 0600 and read back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-key-'));
    dirs.push(dir);
    const first = await ensureServiceAccountSigningKey(dir);
    expect(first.ok && first.value.created).toBe(true);
    expect((await stat(join(dir, 'sa.key'))).mode & 0o777).toBe(0o600);
    const second = await ensureServiceAccountSigningKey(dir);
    expect(second.ok && second.value.created).toBe(false);
    expect(second.ok && first.ok && second.value.keyId === first.value.keyId).toBe(true);
  });
  it('reports a key that is not EC P-256 instead of replacing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa-key-'));
    dirs.push(dir);
    await writeFile(join(dir, 'sa.key'), 'not a key');
    expect(await ensureServiceAccountSigningKey(dir)).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await readFile(join(dir, 'sa.key'), 'utf8')).toBe('not a key');
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
