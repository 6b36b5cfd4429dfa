/**
 * RBAC end to end (docs/rbac.md): a real cloudcore with a static token file, and real kubectl 1.32
 * for `auth whoami`, `auth can-i` (with --as impersonation and --list), token users bound to `edit`
 * in one namespace, escalation refusals and ClusterRole aggregation.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const DEV_TOKEN = 'rbac-e2e-dev-token-0123456789abcdef';
const LEAD_TOKEN = 'rbac-e2e-lead-token-0123456789abcdef';

let cloud: CloudProcess;
let admin: Kubectl;
let dev: Kubectl;
let lead: Kubectl;

/** A kubeconfig that authenticates with a bearer token, as `kubectl config set-credentials --token` writes it. */
function tokenKubeconfig(token: string): string {
  const creds = readKubeconfig(cloud.kubeconfig);
  const file = join(tempDir('rbac-kubeconfig'), 'config');
  writeFileSync(
    file,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      `clusters: [{name: c, cluster: {server: "${creds.server}", certificate-authority-data: ${creds.ca.toString('base64')}}}]`,
      `users: [{name: u, user: {token: ${token}}}]`,
      'contexts: [{name: c, context: {cluster: c, user: u}}]',
    ].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  const tokens = join(tempDir('rbac-tokens'), 'tokens.csv');
  writeFileSync(tokens, `${DEV_TOKEN},dev,2001,devs\n${LEAD_TOKEN},lead,2002,leads\n`);
  cloud = await startCloud({ args: ['--token-auth-file', tokens] });
  admin = createKubectl(cloud.kubeconfig);
  dev = createKubectl(tokenKubeconfig(DEV_TOKEN));
  lead = createKubectl(tokenKubeconfig(LEAD_TOKEN));
  for (const ns of ['dev', 'prod', 'team']) await admin.ok(['create', 'namespace', ns]);
  await admin.ok(['create', 'rolebinding', 'devs-edit', '--clusterrole=edit', '--group=devs', '-n', 'dev']);
  await admin.ok(['create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--user=lead', '-n', 'team']);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe('who am I, what may I do', () => {
  it('prints auth whoami as a real cluster does, for certificate and token users', async () => {
    expect(await admin.ok(['auth', 'whoami'])).toBe(
      ['ATTRIBUTE   VALUE', 'Username    system:admin', 'Groups      [system:masters system:authenticated]', ''].join('\n'),
    );
    expect(await dev.ok(['auth', 'whoami'])).toBe(
      ['ATTRIBUTE   VALUE', 'Username    dev', 'UID         2001', 'Groups      [devs system:authenticated]', ''].join('\n'),
    );
    // Impersonated by an admin: the answer is about whom it impersonates.
    expect(await admin.ok(['auth', 'whoami', '--as', 'dev', '--as-group', 'devs'])).toContain('Username    dev');
  });

  it('answers auth can-i from the bindings, with impersonation', async () => {
    const canI = async (args: string[]) => (await admin([...args, '--as', 'dev', '--as-group', 'devs'])).stdout.trim();
    expect(await canI(['auth', 'can-i', 'create', 'deployments', '-n', 'dev'])).toBe('yes');
    expect(await canI(['auth', 'can-i', 'create', 'deployments', '-n', 'prod'])).toBe('no');
    expect(await canI(['auth', 'can-i', 'get', 'secrets', '-n', 'dev'])).toBe('yes');
    expect(await canI(['auth', 'can-i', 'create', 'roles', '-n', 'dev'])).toBe('no');
    expect((await dev(['auth', 'can-i', 'list', 'nodes'])).stdout.trim()).toBe('no');
  });

  it('lists the rules with auth can-i --list', async () => {
    const out = await admin.ok(['auth', 'can-i', '--list', '-n', 'dev', '--as', 'dev', '--as-group', 'devs']);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    expect(lines.find((l) => l.startsWith('deployments.apps '))).toMatch(/\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]$/);
    expect(lines.find((l) => l.startsWith('selfsubjectaccessreviews.authorization.k8s.io '))).toMatch(/\[create\]$/);
    expect(out).toMatch(/\s\[\/api\/\*\]\s+\[\]\s+\[get\]/);
  });

  it('refuses impersonation to users who may not impersonate, with Kubernetes\' message', async () => {
    const result = await dev(['get', 'pods', '-n', 'dev', '--as', 'lead']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('users "lead" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});

/** An exec upgrade request (websocket, as kubectl 1.32 sends first) with extra headers: status and body of the refusal. */
function execUpgrade(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const creds = readKubeconfig(cloud.kubeconfig);
  const url = new URL(path, creds.server);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca: creds.ca, cert: creds.cert, key: creds.key,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('enforcement', () => {
  it('impersonates on upgrade (exec) requests too', async () => {
    const refused = await execUpgrade('/api/v1/namespaces/prod/pods/web/exec?command=true&stdout=true', { 'Impersonate-User': 'dev', 'Impersonate-Group': 'devs' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ message: 'pods "web" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "prod"' });
    const allowed = await execUpgrade('/api/v1/namespaces/dev/pods/web/exec?command=true&stdout=true', { 'Impersonate-User': 'dev', 'Impersonate-Group': 'devs' });
    // Allowed to exec in dev: what refuses it now is the missing pod, not authorization.
    expect(allowed.status).not.toBe(403);
    expect(allowed.body).toContain('web');
  });

  it('lets a token user bound to edit work in its namespace and forbids the others', async () => {
    expect(await dev.ok(['create', 'deployment', 'web', '--image=registry.invalid/web:1', '-n', 'dev'])).toContain('deployment.apps/web created');
    expect(await dev.ok(['get', 'deployments', '-n', 'dev', '-o', 'name'])).toContain('deployment.apps/web');
    const elsewhere = await dev(['create', 'deployment', 'web', '--image=registry.invalid/web:1', '-n', 'prod']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain('deployments.apps is forbidden: User "dev" cannot create resource "deployments" in API group "apps" in the namespace "prod"');
    // Reading a namespace is allowed inside it (edit reads namespaces) and refused as "in the namespace" elsewhere.
    expect(await dev.ok(['get', 'namespace', 'dev', '-o', 'name'])).toBe('namespace/dev\n');
    expect((await dev(['get', 'namespace', 'prod'])).stderr).toContain('namespaces "prod" is forbidden: User "dev" cannot get resource "namespaces" in API group "" in the namespace "prod"');
    const list = await dev(['get', 'pods', '-n', 'prod']);
    expect(list.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "prod"');
  });

  it('shows roles and bindings as a real cluster does', async () => {
    const wide = await admin.ok(['get', 'rolebindings', '-n', 'dev', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/);
    expect(wide).toMatch(/devs-edit\s+ClusterRole\/edit\s+\S+\s+devs/);
    expect((await admin.ok(['get', 'clusterroles', 'view', 'edit'])).split('\n')[0]).toMatch(/^NAME\s+CREATED AT$/);
  });

  it('refuses escalation: roles and bindings beyond what the user holds', async () => {
    expect(await lead.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', 'team'])).toContain('created');
    const role = await lead(['create', 'role', 'node-reader', '--verb=get', '--resource=nodes,pods', '-n', 'team']);
    expect(role.stderr).toContain(
      'roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "lead" (groups=["leads" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    );
    const binding = await lead(['create', 'rolebinding', 'me-cluster-admin', '--clusterrole=cluster-admin', '--user=lead', '-n', 'team']);
    expect(binding.stderr).toContain('rolebindings.rbac.authorization.k8s.io "me-cluster-admin" is forbidden: user "lead" (groups=["leads" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:');
    expect(await lead.ok(['create', 'rolebinding', 'dev-view', '--clusterrole=view', '--user=dev', '-n', 'team'])).toContain('created');
  });
});

describe('aggregation and reviews', () => {
  it('adds the rules of a ClusterRole labelled aggregate-to-view to view (and so to edit and admin)', async () => {
    await admin.ok(['create', 'clusterrole', 'lease-reader', '--verb=get,list,watch', '--resource=leases.coordination.k8s.io']);
    await admin.ok(['label', 'clusterrole', 'lease-reader', 'rbac.authorization.k8s.io/aggregate-to-view=true']);
    const holdsLeases = (role: string) => async () => {
      const rules = JSON.parse(await admin.ok(['get', 'clusterrole', role, '-o', 'jsonpath={.rules}'])) as Array<{ apiGroups?: string[]; resources?: string[] }>;
      return rules.some((r) => r.apiGroups?.includes('coordination.k8s.io') && r.resources?.includes('leases'));
    };
    for (const role of ['view', 'edit', 'admin']) await waitFor(holdsLeases(role), { timeoutMs: 20_000, description: `${role} to aggregate lease-reader's rules` });
    expect((await admin(['auth', 'can-i', 'watch', 'leases.coordination.k8s.io', '-n', 'team', '--as', 'dev'])).stdout.trim()).toBe('yes');
  });

  it('answers SubjectAccessReview and TokenReview for callers allowed to ask', async () => {
    const creds = readKubeconfig(cloud.kubeconfig);
    const api = rawClient(creds);
    const sar = await api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
      spec: { user: 'someone', groups: ['devs'], resourceAttributes: { namespace: 'dev', verb: 'delete', group: 'apps', resource: 'deployments' } },
    });
    expect(sar.status).toBe(201);
    expect(sar.json()).toMatchObject({ kind: 'SubjectAccessReview', status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "devs-edit/dev" of ClusterRole "edit" to Group "devs"' } });
    const local = (namespace: string) =>
      api('POST', '/apis/authorization.k8s.io/v1/namespaces/dev/localsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview',
        spec: { user: 'dev', resourceAttributes: { namespace, verb: 'get', resource: 'pods' } },
      });
    expect((await local('')).json()).toMatchObject({ metadata: { namespace: 'dev' }, spec: { resourceAttributes: { namespace: 'dev' } }, status: { allowed: false } });
    const mismatch = await local('prod');
    expect(mismatch.status).toBe(422);
    expect(mismatch.json<{ message: string }>().message).toContain('spec.resourceAttributes.namespace: Invalid value: "prod": must match metadata.namespace');
    const empty = await api('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} });
    expect(empty.status).toBe(422);
    const review = await api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: DEV_TOKEN } });
    expect(review.json()).toMatchObject({ status: { authenticated: true, user: { username: 'dev', uid: '2001', groups: ['devs', 'system:authenticated'] } } });
    const asDev = rawClient({ server: creds.server, ca: creds.ca, token: DEV_TOKEN });
    const refused = await asDev('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: LEAD_TOKEN } });
    expect(refused.status).toBe(403);
  });
});
