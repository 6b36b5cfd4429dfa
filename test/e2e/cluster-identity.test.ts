/**
 * The cluster identity in the datastore (docs/identity.md), with real cloudcore processes: an
 * older data folder's CA moves into the datastore and keeps working; a wrong or missing cluster
 * secret stops the start with its message; two cloudcores on one etcd serve one cluster (each one's
 * admin.kubeconfig, a node certificate and a service-account token work at both).
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCa } from '../../certs/index.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { readClusterCa, sameClusterArgs } from '../helpers/cluster-ca.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { bootstrapServer, createToken, edgePki, outpost } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const WRONG_SECRET = "the cluster secret does not match this datastore's identity";

const started: CloudProcess[] = [];
afterAll(async () => {
  for (const cloud of started) await cloud.stop();
});

function secretFileWith(text: string): string {
  const file = join(tempDir('secret'), 'cluster-secret');
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  return file;
}

/** A kubeconfig for `server` trusting the cluster CA, with the given user (a certificate, or none for --token). */
function kubeconfigFor(server: string, caPem: Buffer, user: Record<string, string> = {}): string {
  const file = join(tempDir('identity-kubeconfig'), 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'certificate-authority-data': caPem.toString('base64') } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    }),
    { mode: 0o600 },
  );
  return file;
}

describe('a data folder from before the identity moved into the datastore', () => {
  it('moves its CA and service-account key in at the first start, and refuses a wrong secret afterwards', async () => {
    const dataDir = tempDir('legacy-cloud');
    const pki = join(dataDir, 'cloud', 'pki');
    mkdirSync(pki, { recursive: true, mode: 0o700 });
    const ca = await createCa();
    const saKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(pki, 'ca.crt'), ca.certPem);
    writeFileSync(join(pki, 'ca.key'), ca.keyPem, { mode: 0o600 });
    writeFileSync(join(pki, 'sa.key'), saKey, { mode: 0o600 });

    const cloud = await startCloud({ dataDir });
    started.push(cloud);
    // Existing kubeconfigs and nodes trust this CA: the hub still serves with it.
    expect(readKubeconfig(cloud.kubeconfig).ca.toString()).toBe(ca.certPem);
    expect(readFileSync(join(pki, 'ca.crt'), 'utf8')).toBe(ca.certPem);
    expect(existsSync(join(pki, 'ca.key'))).toBe(false);
    expect(existsSync(join(pki, 'sa.key'))).toBe(false);
    expect(statSync(join(dataDir, 'cloud', 'cluster-secret')).mode & 0o777).toBe(0o600);
    // Tokens signed before keep verifying: the JWKS still publishes the old key.
    const jwks = await rawClient({ server: cloud.apiUrl, ca: Buffer.from(ca.certPem) })('GET', '/openid/v1/jwks');
    const published = jwks.json<{ keys: { x: string; y: string }[] }>().keys;
    const oldPublic = createPublicKey(saKey).export({ format: 'jwk' });
    expect(published.map((k) => `${k.x}.${k.y}`)).toContain(`${oldPublic.x}.${oldPublic.y}`);
    await cloud.stop();

    await expect(startCloud({ dataDir, args: ['--cluster-secret-file', secretFileWith('a-secret-of-another-cluster')] })).rejects.toThrow(WRONG_SECRET);
    // The refused start changed nothing: the right secret (kept in the folder) still opens it.
    const again = await startCloud({ dataDir });
    started.push(again);
    expect(readKubeconfig(again.kubeconfig).ca.toString()).toBe(ca.certPem);
    await again.stop();
  });
});

describe('two cloudcores on one etcd', () => {
  let etcd: EtcdCluster;
  let first: CloudProcess;
  let second: CloudProcess;
  const datastore = (): string[] => ['--datastore-endpoint', etcd.datastoreEndpoint];

  beforeAll(async () => {
    etcd = await startEtcd({ members: 1 });
    first = await startCloud({ args: datastore() });
    started.push(first);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await etcd?.stop();
  });

  it('refuses a second cloudcore without the secret, or with a wrong one, by name', async () => {
    await expect(startCloud({ args: datastore() })).rejects.toThrow('--cluster-secret-file');
    await expect(startCloud({ args: [...datastore(), '--cluster-secret-file', secretFileWith('not-this-clusters-secret')] })).rejects.toThrow(WRONG_SECRET);
  });

  it('serves the same cluster from a second cloudcore started with the secret', async () => {
    second = await startCloud({ args: [...datastore(), ...sameClusterArgs(first.dataDir)] });
    started.push(second);
    const [a, b] = [readKubeconfig(first.kubeconfig), readKubeconfig(second.kubeconfig)];
    expect(b.ca.equals(a.ca)).toBe(true);
    // Each cloudcore has its own admin certificate, both signed by the shared CA.
    expect(b.cert.equals(a.cert)).toBe(false);

    // Either admin.kubeconfig works against either cloudcore, and both see the same objects.
    const viaFirst = createKubectl(first.kubeconfig);
    const viaSecond = createKubectl(second.kubeconfig);
    await viaFirst.ok(['create', 'configmap', 'shared-settings', '--from-literal=colour=blue']);
    await waitFor(async () => (await viaSecond(['get', 'configmap', 'shared-settings', '--server', first.apiUrl, '-o', 'jsonpath={.data.colour}'])).stdout === 'blue', {
      timeoutMs: 20_000,
      description: "the second cloudcore's admin kubeconfig reading at the first",
    });
    expect(await viaFirst.ok(['get', 'configmap', 'shared-settings', '--server', second.apiUrl, '-o', 'jsonpath={.data.colour}'])).toBe('blue');
    expect(await viaSecond.ok(['get', 'configmap', 'shared-settings', '-o', 'jsonpath={.data.colour}'])).toBe('blue');
  });

  it('keeps the identity in etcd with no private key in clear', async () => {
    const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
    const everything = Object.values(await client.getAll().strings()).join('\n');
    client.close();
    expect(everything).toContain('BEGIN CERTIFICATE');
    expect(everything).not.toContain('PRIVATE KEY');
    // Opened with the secret, it is the CA both admin kubeconfigs trust.
    const ca = await readClusterCa(first.dataDir, { datastoreEndpoint: etcd.datastoreEndpoint });
    expect(Buffer.from(ca.certPem).equals(readKubeconfig(second.kubeconfig).ca)).toBe(true);
  });

  it('accepts at one cloudcore the node certificate the other issued at join', async () => {
    const edgeDir = tempDir('identity-edge');
    const token = await createToken(first.dataDir);
    const joined = await outpost(['join', '--server', bootstrapServer(first.dataDir), '--token', token, '--node-name', 'shop-7', '--data-dir', edgeDir]);
    expect(joined.code, joined.stderr).toBe(0);
    const node = edgePki(edgeDir, 'shop-7');
    const user = { 'client-certificate-data': Buffer.from(node.cert).toString('base64'), 'client-key-data': Buffer.from(node.key).toString('base64') };
    for (const cloud of [first, second]) {
      const asNode = createKubectl(kubeconfigFor(cloud.apiUrl, Buffer.from(node.ca), user));
      expect(await asNode.ok(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).toBe('system:node:shop-7');
    }
  });

  it('accepts at one cloudcore the service-account token the other signed', async () => {
    const token = (await createKubectl(first.kubeconfig).ok(['create', 'token', 'default', '-n', 'default'])).trim();
    const ca = readKubeconfig(first.kubeconfig).ca;
    for (const cloud of [first, second]) {
      const withToken = createKubectl(kubeconfigFor(cloud.apiUrl, ca));
      expect(await withToken.ok(['auth', 'whoami', '--token', token, '-o', 'jsonpath={.status.userInfo.username}'])).toBe('system:serviceaccount:default:default');
    }
  });
});
