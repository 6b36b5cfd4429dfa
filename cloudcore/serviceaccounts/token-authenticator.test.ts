import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/types.js';
import { createServiceAccountAuthenticator, createServiceAccountTokenIssuer, signingKeyFrom, type BoundObjectSource } from './index.js';

const now = new Date('2026-12-01T10:00:00Z');
const issuer = createServiceAccountTokenIssuer({ signingKey: signingKeyFrom(), now: () => now });
const obj = (uid: string, deletionTimestamp?: string): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { uid, ...(deletionTimestamp ? { deletionTimestamp } : {}) } });

function world(objects: Partial<Record<'sa' | 'pod' | 'secret' | 'node', KubeObject>>): BoundObjectSource {
  return {
    serviceAccount: (ns, name) => (ns === 'shop' && name === 'app' ? objects.sa : undefined),
    pod: (ns, name) => (ns === 'shop' && name === 'web' ? objects.pod : undefined),
    secret: (ns, name) => (ns === 'shop' && name === 's' ? objects.secret : undefined),
    node: (name) => (name === 'edge-1' ? objects.node : undefined),
  };
}
const podToken = issuer.issue({
  namespace: 'shop',
  serviceAccountName: 'app',
  serviceAccountUid: 'sa-1',
  audiences: [],
  expirationSeconds: 3600,
  boundObject: { kind: 'Pod', name: 'web', uid: 'pod-1' },
  node: { name: 'edge-1', uid: 'node-1' },
}).token;
const plainToken = issuer.issue({ namespace: 'shop', serviceAccountName: 'app', serviceAccountUid: 'sa-1', audiences: [], expirationSeconds: 3600 }).token;

describe('service-account token authentication (docs/service-accounts.md § Authentication)', () => {
  const all = { sa: obj('sa-1'), pod: obj('pod-1'), node: obj('node-1'), secret: obj('secret-1') };

  it("authenticates as the service account, with Kubernetes' groups and extra", () => {
    const user = createServiceAccountAuthenticator({ issuer, objects: world(all), now: () => now })(podToken);
    expect(user).toMatchObject({
      name: 'system:serviceaccount:shop:app',
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['web'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
        'authentication.kubernetes.io/node-name': ['edge-1'],
        'authentication.kubernetes.io/node-uid': ['node-1'],
      },
    });
    expect(user?.extra?.['authentication.kubernetes.io/credential-id']?.[0]).toMatch(/^JTI=/);
  });

  it('refuses a token whose service account, pod or node is gone or was re-created', () => {
    const at = (objects: Parameters<typeof world>[0]) => createServiceAccountAuthenticator({ issuer, objects: world(objects), now: () => now })(podToken);
    expect(at({ ...all, sa: undefined })).toBeUndefined();
    expect(at({ ...all, sa: obj('sa-2') })).toBeUndefined();
    expect(at({ ...all, pod: undefined })).toBeUndefined();
    expect(at({ ...all, pod: obj('pod-2') })).toBeUndefined();
    expect(at({ ...all, node: undefined })).toBeUndefined();
    const secretToken = issuer.issue({
      namespace: 'shop',
      serviceAccountName: 'app',
      serviceAccountUid: 'sa-1',
      audiences: [],
      expirationSeconds: 3600,
      boundObject: { kind: 'Secret', name: 's', uid: 'secret-1' },
    }).token;
    const bySecret = (objects: Parameters<typeof world>[0]) => createServiceAccountAuthenticator({ issuer, objects: world(objects), now: () => now })(secretToken);
    expect(bySecret(all)?.name).toBe('system:serviceaccount:shop:app');
    expect(bySecret({ ...all, secret: undefined })).toBeUndefined();
  });

  it('still accepts an object deleted less than 60 s ago, as Kubernetes does', () => {
    const at = (deleted: string) => createServiceAccountAuthenticator({ issuer, objects: world({ ...all, sa: obj('sa-1', deleted) }), now: () => now })(plainToken);
    expect(at('2026-12-01T09:59:30Z')).toBeDefined();
    expect(at('2026-12-01T09:58:30Z')).toBeUndefined();
  });

  it('refuses expired tokens (after 60 s of leeway), other audiences, other signers, and ignores opaque tokens', () => {
    const later = (seconds: number) => createServiceAccountAuthenticator({ issuer, objects: world(all), now: () => new Date(now.getTime() + seconds * 1000) })(plainToken);
    expect(later(3600 + 59)).toBeDefined();
    expect(later(3600 + 61)).toBeUndefined();
    const authenticate = createServiceAccountAuthenticator({ issuer, objects: world(all), now: () => now });
    const otherAudience = issuer.issue({ namespace: 'shop', serviceAccountName: 'app', serviceAccountUid: 'sa-1', audiences: ['vault'], expirationSeconds: 3600 }).token;
    expect(authenticate(otherAudience)).toBeUndefined();
    const stranger = createServiceAccountTokenIssuer({ signingKey: signingKeyFrom(), now: () => now });
    expect(authenticate(stranger.issue({ namespace: 'shop', serviceAccountName: 'app', serviceAccountUid: 'sa-1', audiences: [], expirationSeconds: 3600 }).token)).toBeUndefined();
    expect(authenticate('static-token-abc')).toBeUndefined();
  });
});
