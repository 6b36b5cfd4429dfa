import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, loadCa, writeKubeconfig } from '../../certs/index.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { readClusterCa } from '../helpers/cluster-ca.js';
import { createKubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';

let cloud: CloudProcess;
const TOKEN = 'e2e-admin-token-0123456789abcdef';
const USER_TOKEN = 'e2e-user-token-0123456789abcdef';

beforeAll(async () => {
  const dir = tempDir('auth');
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, `${TOKEN},ops,1001,"system:masters"\n${USER_TOKEN},jane,1002,developers\n`);
  cloud = await startCloud({ args: ['--token-auth-file', tokens] });
});
afterAll(async () => {
  await cloud?.stop();
});

async function caOf(): Promise<{ certPem: string; keyPem: string }> {
  const ca = await readClusterCa(cloud.dataDir);
  return { certPem: ca.certPem, keyPem: ca.keyPem };
}

async function userKubeconfig(user: string, groups: string[]): Promise<string> {
  const ca = await loadCa(await caOf());
  if (!ca.ok) throw new Error(ca.message);
  const issued = await issueCertificate({ ca: ca.value, subject: { commonName: user, organizations: groups }, usages: 'client', lifetimeDays: 1 });
  if (!issued.ok) throw new Error(issued.message);
  const file = join(tempDir('user-kubeconfig'), 'config');
  const admin = readKubeconfig(cloud.kubeconfig);
  await writeKubeconfig(file, { server: admin.server, caPem: ca.value.certPem, certPem: issued.value.certPem, keyPem: issued.value.keyPem, user });
  return file;
}

describe('authentication and authorization', () => {
  it('answers anonymous requests with 401, except version and health', async () => {
    const creds = readKubeconfig(cloud.kubeconfig);
    const anonymous = rawClient({ server: creds.server, ca: creds.ca });
    expect((await anonymous('GET', '/version')).json()).toMatchObject({ major: '1', minor: '32' });
    for (const path of ['/healthz', '/readyz', '/livez']) expect((await anonymous('GET', path)).status).toBe(200);
    const denied = await anonymous('GET', '/api/v1/namespaces');
    expect(denied.status).toBe(401);
    expect(denied.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('prints kubectl\'s Unauthorized message for a bad token', async () => {
    const creds = readKubeconfig(cloud.kubeconfig);
    const file = join(tempDir('bad-token'), 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1', 'kind: Config', 'current-context: c',
        `clusters: [{name: c, cluster: {server: "${creds.server}", certificate-authority-data: ${creds.ca.toString('base64')}}}]`,
        'users: [{name: u, user: {token: not-a-valid-token}}]',
        'contexts: [{name: c, context: {cluster: c, user: u}}]',
      ].join('\n'),
    );
    const result = await createKubectl(file)(['get', 'pods']);
    expect(result.code).not.toBe(0);
    // During discovery kubectl words the 401 as client-go does; either way it is this line.
    expect(result.stderr).toMatch(/error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/);
  });

  it('accepts bearer tokens from the token file', async () => {
    const creds = readKubeconfig(cloud.kubeconfig);
    const admin = rawClient({ server: creds.server, ca: creds.ca, token: TOKEN });
    expect((await admin('GET', '/api/v1/namespaces/default')).status).toBe(200);
    const user = rawClient({ server: creds.server, ca: creds.ca, token: USER_TOKEN });
    const forbidden = await user('GET', '/api/v1/namespaces/default/pods');
    expect(forbidden.status).toBe(403);
    expect(forbidden.json<{ message: string }>().message).toContain('User "jane" cannot list resource "pods"');
  });

  it('forbids a non-admin certificate with kubectl\'s Forbidden message, nodes included', async () => {
    const jane = createKubectl(await userKubeconfig('jane', ['developers']));
    const result = await jane(['get', 'pods', '-n', 'default']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"');

    const node = createKubectl(await userKubeconfig('system:node:edge-1', ['system:nodes']));
    const nodeResult = await node(['get', 'nodes']);
    expect(nodeResult.code).not.toBe(0);
    expect(nodeResult.stderr).toContain('User "system:node:edge-1" cannot list resource "nodes"');
  });

  it('lets system:masters members in', async () => {
    const ops = createKubectl(await userKubeconfig('ops', ['system:masters']));
    expect(await ops.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/kube-system');
  });
});
