import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createNodeCredentials, waitFor } from '../helpers/edge-process.js';
import { tempDir } from '../helpers/paths.js';

let cloud: CloudProcess;
beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud.stop('SIGKILL');
});

describe('the API\'s Node authorizer (same index as CloudHub)', () => {
  it('lets a node certificate get its own Node, its pods and what they reference, and nothing else', async () => {
    const admin = rawClient(readKubeconfig(cloud.kubeconfig));
    const pki = await createNodeCredentials(cloud.dataDir, tempDir('authz-edge'), 'authz-1');
    const node = rawClient({ server: readKubeconfig(cloud.kubeconfig).server, ca: readFileSync(join(pki, 'ca.crt')), cert: readFileSync(join(pki, 'node.crt')), key: readFileSync(join(pki, 'node.key')) });
    for (const name of ['authz-1', 'authz-2']) expect((await admin('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } })).status).toBe(201);
    for (const name of ['used', 'unused']) {
      expect((await admin('POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { k: 'dg==' } })).status).toBe(201);
    }
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'authz-1', containers: [{ name: 'c', image: 'i', envFrom: [{ secretRef: { name: 'used' } }] }] } };
    expect((await admin('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);

    await waitFor(async () => (await node('GET', '/api/v1/namespaces/default/secrets/used')).status === 200, 15_000, () => 'referenced secret never readable');
    expect((await node('GET', '/api/v1/nodes/authz-1')).status).toBe(200);
    expect((await node('GET', '/api/v1/namespaces/default/pods/p')).status).toBe(200);
    expect((await node('GET', '/api/v1/namespaces/default/secrets/unused')).status).toBe(403);
    expect((await node('GET', '/api/v1/nodes/authz-2')).status).toBe(403);
    expect((await node('GET', '/api/v1/namespaces/default/secrets')).status).toBe(403);
    expect((await node('DELETE', '/api/v1/namespaces/default/secrets/used')).status).toBe(403);

    // The pod goes: so does the node's right to read its secret.
    expect((await admin('DELETE', '/api/v1/namespaces/default/pods/p', { gracePeriodSeconds: 0 })).status).toBe(200);
    await waitFor(async () => (await node('GET', '/api/v1/namespaces/default/secrets/used')).status === 403, 15_000, () => 'secret still readable');
    // A deleted Node's certificate reads nothing, not even what it could before.
    expect((await admin('DELETE', '/api/v1/nodes/authz-1')).status).toBe(200);
    await waitFor(async () => (await node('GET', '/api/v1/nodes/authz-1')).status !== 200, 15_000, () => 'deleted node still authorized');
  });
});
