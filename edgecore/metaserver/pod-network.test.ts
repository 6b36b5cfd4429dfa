import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { checkServerIdentity } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging.js';
import { SERVICE_ACCOUNT_ISSUER_KIND, SERVICE_ACCOUNTS_API_VERSION, type WireObject } from '../../shared/protocol/index.js';
import { publicJwk, signServiceAccountToken } from '../../shared/serviceaccount/index.js';
import { EdgeStore } from '../metamanager/index.js';
import { isPodNetworkHost } from './access.js';
import { createMetaServer, type MetaServer } from './index.js';

const NOW = Date.parse('2026-01-01T00:05:00Z') / 1000;
const ISSUER = 'https://outpost.test';
// Another loopback address stands in for the bridge gateway: bindable without a bridge.
const GATEWAY = '127.0.0.2';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RBAC = 'rbac.authorization.k8s.io/v1';

let store: EdgeStore;
let server: MetaServer;
let gatewayPresent = false;

const object = (kind: string, name: string, uid: string, extra: Record<string, unknown> = {}, namespace: string | null = 'default', apiVersion = 'v1'): WireObject =>
  ({ apiVersion, kind, metadata: { name, uid, resourceVersion: '1', ...(namespace === null ? {} : { namespace }) }, ...extra }) as WireObject;

const token = (): string =>
  signServiceAccountToken(privateKey, 'k1', {
    iss: ISSUER, sub: 'system:serviceaccount:default:reader', aud: [ISSUER], iat: NOW - 10, nbf: NOW - 10, exp: NOW + 3600,
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'reader', uid: 'sa-1' }, pod: { name: 'app', uid: 'pod-1' } },
  });

const portOf = (): number => Number(new URL(server.url()).port);

/** HTTPS with MetaServer's CA as the only trust, as an in-cluster client does. */
function get(host: string, path: string, options: { bearer?: string; hostHeader?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.bearer !== undefined) headers.Authorization = `Bearer ${options.bearer}`;
    if (options.hostHeader !== undefined) headers.Host = options.hostHeader;
    // The certificate is checked against the address dialled, not a Host header a test forges.
    const req = request({ host, port: portOf(), path, ca: server.caPem(), headers, checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-pod-network-'));
  const opened = EdgeStore.open(join(dir, 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  store = opened.value;
  store.applyDownstream([
    { kind: 'upsert', object: object(SERVICE_ACCOUNT_ISSUER_KIND, 'cluster', 'issuer-1', { issuer: ISSUER, apiAudiences: [ISSUER], jwks: { keys: [publicJwk(privateKey, 'k1')] } }, null, SERVICE_ACCOUNTS_API_VERSION) },
    { kind: 'upsert', object: object('ServiceAccount', 'reader', 'sa-1') },
    { kind: 'upsert', object: object('Pod', 'app', 'pod-1', { spec: { nodeName: 'edge-1', containers: [{ name: 'c', image: 'i' }] } }) },
    { kind: 'upsert', object: object('ConfigMap', 'settings', 'cm-1', { data: { a: 'b' } }) },
    { kind: 'upsert', object: object('Secret', 'creds', 's-1', { data: { a: 'Yg==' } }) },
    { kind: 'upsert', object: object('Role', 'cm', 'role-1', { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] }, 'default', RBAC) },
    { kind: 'upsert', object: object('RoleBinding', 'reader-cm', 'rb-1', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }] }, 'default', RBAC) },
  ]);
  server = createMetaServer({
    store, port: 0, tokenFile: join(dir, 'metaserver.token'), pkiDir: join(dir, 'pki'), logger: createLogger({ component: 'test', level: 'silent' }), buildVersion: 'test',
    connectionPhase: () => 'backoff', now: () => new Date(NOW * 1000),
    podNetworkAddress: { present: (address) => gatewayPresent && address === GATEWAY, pollMs: 20 },
  });
  await server.start(new AbortController().signal);
});

afterAll(async () => {
  await server?.stop();
  store?.close();
});

describe('MetaServer on the pod network (docs/edge-metaserver.md § Access)', () => {
  it('listens on the gateway address only once it exists, with a certificate naming it and loopback', async () => {
    const before = server.caPem();
    await server.servePodNetwork(GATEWAY);
    expect(server.caPem()).not.toBe(before);
    await expect(get(GATEWAY, '/version')).rejects.toThrow(/ECONNREFUSED/);
    gatewayPresent = true;
    await until(async () => (await get(GATEWAY, '/version').catch(() => ({ status: 0 }))).status === 200);
    // The loopback HTTPS listener moved to the same certificate, which the new CA signed.
    expect((await get('127.0.0.1', '/version')).status).toBe(200);
  });

  it('the certificate names 127.0.0.1, localhost and the gateway', async () => {
    const { readFile } = await import('node:fs/promises');
    const cert = new X509Certificate(await readFile(join(server.caFile(), '..', 'metaserver.crt'), 'utf8'));
    expect(cert.subjectAltName?.split(', ').sort()).toEqual(['DNS:localhost', 'IP Address:127.0.0.1', `IP Address:${GATEWAY}`]);
  });

  it('anonymous callers get discovery and health only; everything else is 401', async () => {
    for (const path of ['/version', '/healthz', '/readyz', '/api', '/api/v1', '/apis']) expect((await get(GATEWAY, path)).status, path).toBe(200);
    for (const path of ['/api/v1/namespaces/default/configmaps', '/api/v1/pods', '/api/v1/nodes', '/metrics']) expect((await get(GATEWAY, path)).status, path).toBe(401);
    // The same reads stay open on loopback, for the node's own users.
    expect((await get('127.0.0.1', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });

  it('a pod-bound token reads what RBAC grants, and nothing else', async () => {
    const list = await get(GATEWAY, '/api/v1/namespaces/default/configmaps', { bearer: token() });
    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name)).toEqual(['settings']);
    expect((await get(GATEWAY, '/api/v1/namespaces/default/secrets', { bearer: token() })).status).toBe(403);
    expect((await get(GATEWAY, '/metrics', { bearer: token() })).status).toBe(403);
    expect((await get(GATEWAY, '/api/v1/namespaces/default/configmaps', { bearer: 'not-a-token' })).status).toBe(401);
  });

  it('answers only its own address as Host', async () => {
    expect((await get(GATEWAY, '/version', { hostHeader: `${GATEWAY}:${portOf()}` })).status).toBe(200);
    expect((await get(GATEWAY, '/version', { hostHeader: 'evil.example' })).status).toBe(403);
    expect((await get(GATEWAY, '/version', { hostHeader: 'localhost' })).status).toBe(403);
    expect((await get('127.0.0.1', '/version', { hostHeader: GATEWAY })).status).toBe(403);
    expect(isPodNetworkHost('10.42.0.1', '10.42.0.1')).toBe(true);
    expect(isPodNetworkHost('10.42.0.1:10550', '10.42.0.1')).toBe(true);
    expect(isPodNetworkHost('10.42.0.10:10550', '10.42.0.1')).toBe(false);
    expect(isPodNetworkHost('10x42x0x1', '10.42.0.1')).toBe(false);
  });

  it('serving the same address again keeps the CA', async () => {
    const ca = server.caPem();
    await server.servePodNetwork(GATEWAY);
    expect(server.caPem()).toBe(ca);
  });
});
