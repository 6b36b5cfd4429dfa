import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { keysFromJwks, signServiceAccountToken, verifyServiceAccountToken } from '../../shared/serviceaccount/index.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { readClusterIdentityOf } from '../helpers/cluster-ca.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { eventually, manifest, namespaceObject, podObject } from '../helpers/kubectl-e2e.js';
import { tempDir } from '../helpers/paths.js';

/**
 * Service accounts with a real kubectl 1.32 (docs/service-accounts.md): every namespace's `default`
 * ServiceAccount and kube-root-ca.crt, `kubectl create token`, JWT authentication and its refusals
 * (deleted account, deleted pod, expired token), the OIDC discovery endpoints, and the
 * kube-api-access volume of admitted pods.
 */
const NS = 'sa-e2e';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
let cloud: CloudProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
});

afterAll(async () => {
  await cloud?.stop();
});

interface Claims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  'kubernetes.io': Record<string, unknown>;
}
const claimsOf = (token: string): Claims => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Claims;

/** kubectl with the cluster's CA and no credential of its own: each call passes `--token`. */
let tokenKubectl: Kubectl | undefined;
function kubectlWithoutCredentials(): Kubectl {
  if (tokenKubectl !== undefined) return tokenKubectl;
  const admin = readKubeconfig(cloud.kubeconfig);
  const file = join(tempDir('sa-token-kubeconfig'), 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: admin.server, 'certificate-authority-data': admin.ca.toString('base64') } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    }),
    { mode: 0o600 },
  );
  tokenKubectl = createKubectl(file);
  return tokenKubectl;
}

/** How the API takes the token: 403 naming the service account proves it authenticated (no RBAC grants yet). */
async function whoIs(token: string): Promise<'unauthorized' | string> {
  const result = await kubectlWithoutCredentials()(['get', 'configmaps', '-n', NS, '--token', token]);
  if (/Unauthorized|must be logged in/.test(result.stderr)) return 'unauthorized';
  return /User "([^"]+)"/.exec(result.stderr)?.[1] ?? `unexpected: ${result.code} ${result.stderr}${result.stdout}`;
}

const saUid = async (name: string): Promise<string> => kubectl.ok(['get', 'sa', name, '-n', NS, '-o', 'jsonpath={.metadata.uid}']);

describe('every namespace', () => {
  it('gets a default ServiceAccount, made again when deleted', async () => {
    await eventually(async () => (await kubectl(['get', 'sa', 'default', '-n', NS])).code === 0, 'the default service account');
    const first = await saUid('default');
    await kubectl.ok(['delete', 'sa', 'default', '-n', NS]);
    await eventually(async () => {
      const again = await kubectl(['get', 'sa', 'default', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
      return again.code === 0 && again.stdout !== '' && again.stdout !== first;
    }, 'default made again');
    const all = await kubectl.ok(['get', 'sa', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', NS]) expect(all).toContain(`${ns}/default `);
  });

  it('gets kube-root-ca.crt with the cluster CA, put back when edited', async () => {
    const ca = readFileSync(join(cloud.dataDir, 'cloud', 'pki', 'ca.crt'), 'utf8');
    const read = async () => JSON.parse(await kubectl.ok(['get', 'cm', 'kube-root-ca.crt', '-n', NS, '-o', 'json'])) as { data: Record<string, string>; metadata: { annotations: Record<string, string> } };
    await eventually(async () => (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', NS])).code === 0, 'kube-root-ca.crt');
    const cm = await read();
    expect(cm.data).toEqual({ 'ca.crt': ca });
    expect(cm.metadata.annotations['kubernetes.io/description']).toContain('verify the kube-apiserver');
    await kubectl.ok(['patch', 'cm', 'kube-root-ca.crt', '-n', NS, '--type', 'merge', '-p', '{"data":{"ca.crt":"forged","extra":"x"}}']);
    await eventually(async () => JSON.stringify((await read()).data) === JSON.stringify({ 'ca.crt': ca }), 'the CA put back');
  });
});

describe('kubectl create token', () => {
  it("gives a JWT with Kubernetes' claims, that authenticates as the service account", async () => {
    await eventually(async () => (await kubectl(['get', 'sa', 'default', '-n', NS])).code === 0, 'the default service account');
    const token = (await kubectl.ok(['create', 'token', 'default', '-n', NS])).trim();
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ iss: ISSUER, sub: `system:serviceaccount:${NS}:default`, aud: [ISSUER] });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims['kubernetes.io']).toEqual({ namespace: NS, serviceaccount: { name: 'default', uid: await saUid('default') } });
    expect(await whoIs(token)).toBe(`system:serviceaccount:${NS}:default`);
  });

  it('takes --audience and --duration, and refuses less than 10 minutes as Kubernetes does', async () => {
    const token = (await kubectl.ok(['create', 'token', 'default', '-n', NS, '--audience', 'vault', '--duration', '20m'])).trim();
    const claims = claimsOf(token);
    expect(claims.aud).toEqual(['vault']);
    expect(claims.exp - claims.iat).toBe(1200);
    expect(await whoIs(token)).toBe('unauthorized'); // not one of the API's audiences
    const short = await kubectl(['create', 'token', 'default', '-n', NS, '--duration', '5m']);
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
    expect((await kubectl(['create', 'token', 'nobody', '-n', NS])).stderr).toContain('serviceaccounts "nobody" not found');
  });

  it('binds a token to a pod, which stops authenticating once the pod is gone', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(podObject(NS, 'bound')) });
    const podUid = await kubectl.ok(['get', 'pod', 'bound', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
    const token = (await kubectl.ok(['create', 'token', 'default', '-n', NS, '--bound-object-kind', 'Pod', '--bound-object-name', 'bound'])).trim();
    expect(claimsOf(token)['kubernetes.io']).toMatchObject({ pod: { name: 'bound', uid: podUid } });
    expect(await whoIs(token)).toBe(`system:serviceaccount:${NS}:default`);
    expect((await kubectl(['create', 'token', 'default', '-n', NS, '--bound-object-kind', 'Pod', '--bound-object-name', 'ghost'])).stderr).toContain('pods "ghost" not found');
    await kubectl.ok(['delete', 'pod', 'bound', '-n', NS, '--grace-period', '0', '--force']);
    await eventually(async () => (await whoIs(token)) === 'unauthorized', 'the pod-bound token refused');
  });

  it('stops authenticating once its service account is deleted', async () => {
    await kubectl.ok(['create', 'sa', 'robot', '-n', NS]);
    const token = (await kubectl.ok(['create', 'token', 'robot', '-n', NS])).trim();
    expect(await whoIs(token)).toBe(`system:serviceaccount:${NS}:robot`);
    await kubectl.ok(['delete', 'sa', 'robot', '-n', NS]);
    await eventually(async () => (await whoIs(token)) === 'unauthorized', 'the deleted account refused');
    await kubectl.ok(['create', 'sa', 'robot', '-n', NS]);
    // A new account of the same name has another uid: the old token stays refused.
    expect(await whoIs(token)).toBe('unauthorized');
  });

  it('is refused once expired (signed here with the data folder key, as TokenRequest gives 10 minutes at least)', async () => {
    const signingKey = (await readClusterIdentityOf(cloud.dataDir)).serviceAccountKey;
    const uid = await saUid('default');
    const at = (iat: number, exp: number) =>
      signServiceAccountToken(signingKey.privateKey, signingKey.keyId, {
        iss: ISSUER,
        sub: `system:serviceaccount:${NS}:default`,
        aud: [ISSUER],
        iat,
        nbf: iat,
        exp,
        jti: randomUUID(),
        'kubernetes.io': { namespace: NS, serviceaccount: { name: 'default', uid } },
      });
    const now = Math.floor(Date.now() / 1000);
    expect(await whoIs(at(now, now + 3600))).toBe(`system:serviceaccount:${NS}:default`);
    expect(await whoIs(at(now - 7200, now - 3600))).toBe('unauthorized');
  });
});

describe('issuer discovery', () => {
  it('serves the OIDC configuration and the JWKS without credentials, and the JWKS verifies tokens', async () => {
    const admin = readKubeconfig(cloud.kubeconfig);
    const anonymous = rawClient({ server: admin.server, ca: admin.ca });
    const config = await anonymous('GET', '/.well-known/openid-configuration');
    expect(config.status).toBe(200);
    expect(config.json()).toEqual({
      issuer: ISSUER,
      jwks_uri: `${admin.server}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const jwks = await anonymous('GET', '/openid/v1/jwks');
    expect(jwks.status).toBe(200);
    expect(jwks.headers['content-type']).toBe('application/jwk-set+json');
    const token = (await kubectl.ok(['create', 'token', 'default', '-n', NS])).trim();
    const verified = verifyServiceAccountToken(token, { keys: keysFromJwks(jwks.json()), issuer: ISSUER, audiences: [ISSUER], now: Math.floor(Date.now() / 1000) });
    expect(verified.ok).toBe(true);
  });
});

describe('pod admission', () => {
  it('adds the kube-api-access volume to every container, as Kubernetes does', async () => {
    const pod = podObject(NS, 'with-token');
    (pod.spec as Record<string, unknown>).initContainers = [{ name: 'init', image: 'busybox:1.36', command: ['true'] }];
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(pod) });
    const spec = JSON.parse(await kubectl.ok(['get', 'pod', 'with-token', '-n', NS, '-o', 'jsonpath={.spec}'])) as {
      serviceAccountName: string;
      volumes: Array<{ name: string }>;
      containers: Array<{ volumeMounts: unknown[] }>;
      initContainers: Array<{ volumeMounts: unknown[] }>;
    };
    expect(spec.serviceAccountName).toBe('default');
    const volume = spec.volumes.find((v) => v.name.startsWith('kube-api-access-'));
    expect(volume?.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volume).toEqual({
      name: volume?.name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    const mount = { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    expect(spec.containers[0]?.volumeMounts).toEqual([mount]);
    expect(spec.initContainers[0]?.volumeMounts).toEqual([mount]);
  });

  it('mounts nothing when the service account turns automounting off, and refuses an unknown service account', async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      stdin: manifest({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet', namespace: NS }, automountServiceAccountToken: false }),
    });
    const quiet = podObject(NS, 'quiet-pod');
    (quiet.spec as Record<string, unknown>).serviceAccountName = 'quiet';
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(quiet) });
    expect(await kubectl.ok(['get', 'pod', 'quiet-pod', '-n', NS, '-o', 'jsonpath={.spec.volumes}'])).toBe('');
    const lost = podObject(NS, 'lost');
    (lost.spec as Record<string, unknown>).serviceAccountName = 'missing';
    const refused = await kubectl(['apply', '-f', '-'], { stdin: manifest(lost) });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`pods "lost" is forbidden: error looking up service account ${NS}/missing: serviceaccount "missing" not found`);
  });

  it('admits a pod created right after its namespace', async () => {
    const fresh = podObject('sa-fresh', 'first');
    const out = await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject('sa-fresh'), fresh) });
    expect(out).toBe('namespace/sa-fresh created\npod/first created\n');
  });
});
