import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging.js';
import { SERVICE_ACCOUNT_ISSUER_KIND, SERVICE_ACCOUNTS_API_VERSION, type WireObject } from '../../shared/protocol/index.js';
import { publicJwk, signServiceAccountToken } from '../../shared/serviceaccount/index.js';
import { EdgeStore } from '../metamanager/index.js';
import { createMetaServer, type MetaServer } from './index.js';

const NOW = Date.parse('2026-01-01T00:05:00Z') / 1000;
const ISSUER = 'https://outpost.test';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RBAC = 'rbac.authorization.k8s.io/v1';

let store: EdgeStore;
let server: MetaServer;

const object = (kind: string, name: string, uid: string, extra: Record<string, unknown> = {}, namespace: string | null = 'default', apiVersion = 'v1'): WireObject =>
  ({ apiVersion, kind, metadata: { name, uid, resourceVersion: '1', ...(namespace === null ? {} : { namespace }) }, ...extra }) as WireObject;

function token(claims: { aud?: string[]; exp?: number; saUid?: string; podUid?: string } = {}): string {
  return signServiceAccountToken(privateKey, 'k1', {
    iss: ISSUER, sub: 'system:serviceaccount:default:reader', aud: claims.aud ?? [ISSUER], iat: NOW - 10, nbf: NOW - 10, exp: claims.exp ?? NOW + 3600,
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'reader', uid: claims.saUid ?? 'sa-1' }, pod: { name: 'app', uid: claims.podUid ?? 'pod-1' } },
  });
}

function get(path: string, bearer?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server.url()), { headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-bound-tokens-'));
  const opened = EdgeStore.open(join(dir, 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  store = opened.value;
  store.applyDownstream([
    { kind: 'upsert', object: object(SERVICE_ACCOUNT_ISSUER_KIND, 'cluster', 'issuer-1', { issuer: ISSUER, apiAudiences: [ISSUER], jwks: { keys: [publicJwk(privateKey, 'k1')] } }, null, SERVICE_ACCOUNTS_API_VERSION) },
    { kind: 'upsert', object: object('ServiceAccount', 'reader', 'sa-1') },
    { kind: 'upsert', object: object('Pod', 'app', 'pod-1', { spec: { nodeName: 'edge-1', containers: [{ name: 'c', image: 'i' }] } }) },
    { kind: 'upsert', object: object('ConfigMap', 'settings', 'cm-1', { data: { a: 'b' } }) },
    { kind: 'upsert', object: object('ConfigMap', 'elsewhere', 'cm-2', { data: { a: 'b' } }, 'kube-system') },
    { kind: 'upsert', object: object('Secret', 'creds', 's-1', { data: { a: 'Yg==' } }) },
    { kind: 'upsert', object: object('Role', 'cm', 'role-1', { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] }, 'default', RBAC) },
    { kind: 'upsert', object: object('RoleBinding', 'reader-cm', 'rb-1', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }] }, 'default', RBAC) },
  ]);
  server = createMetaServer({
    store, port: 0, tokenFile: join(dir, 'metaserver.token'), pkiDir: join(dir, 'pki'), logger: createLogger({ component: 'test', level: 'silent' }), buildVersion: 'test',
    connectionPhase: () => 'backoff', now: () => new Date(NOW * 1000),
  });
  await server.start(new AbortController().signal);
});

afterAll(async () => {
  await server?.stop();
  store?.close();
});

describe('MetaServer: the cloud\'s pod-bound tokens (docs/edge-metaserver.md § Access)', () => {
  it('reads what the service account\'s RBAC grants, and nothing else, with Kubernetes\' 403', async () => {
    const list = await get('/api/v1/namespaces/default/configmaps', token());
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name)).toEqual(['settings']);
    expect((await get('/api/v1/namespaces/default/configmaps/settings', token())).status).toBe(200);
    const secrets = await get('/api/v1/namespaces/default/secrets', token());
    expect(secrets.status).toBe(403);
    expect(JSON.parse(secrets.body)).toMatchObject({
      kind: 'Status', reason: 'Forbidden',
      message: 'secrets is forbidden: User "system:serviceaccount:default:reader" cannot list resource "secrets" in API group "" in the namespace "default"',
    });
    expect((await get('/api/v1/namespaces/kube-system/configmaps', token())).status).toBe(403);
    expect((await get('/api/v1/pods', token())).status).toBe(403);
  });

  it('refuses (401) a token whose pod or service account is not the one on this edge, or that is expired or for another audience', async () => {
    expect((await get('/api/v1/namespaces/default/configmaps', token({ podUid: 'pod-gone' }))).status).toBe(401);
    expect((await get('/api/v1/namespaces/default/configmaps', token({ saUid: 'sa-recreated' }))).status).toBe(401);
    expect((await get('/api/v1/namespaces/default/configmaps', token({ exp: NOW - 3600 }))).status).toBe(401);
    expect((await get('/api/v1/namespaces/default/configmaps', token({ aud: ['vault'] }))).status).toBe(401);
  });

  it('anonymous loopback reads keep their rules', async () => {
    expect((await get('/api/v1/namespaces/kube-system/configmaps')).status).toBe(200);
    expect((await get('/api/v1/namespaces/default/secrets')).status).toBe(403);
  });
});
