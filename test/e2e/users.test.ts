import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { manifest } from '../helpers/kubectl-e2e.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

/**
 * Users as Kubernetes makes them (docs/users.md): a CertificateSigningRequest approved with a real
 * kubectl 1.32 and signed by the cloud's signer, and `outpost kubeconfig create` from dist/.
 */
const run = promisify(execFile);
let cloud: CloudProcess;
let kubectl: Kubectl;
let work: string;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  work = tempDir('users');
});
afterAll(async () => {
  await cloud?.stop();
});

/** A P-256 key and a CSR for CN=user, O=groups, made with openssl as a user would. */
function opensslCsr(user: string, groups: string[]): { keyFile: string; csrPem: string } {
  const keyFile = join(work, `${user}.key`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], { stdio: 'ignore' });
  const subject = `${groups.map((g) => `/O=${g}`).join('')}/CN=${user}`;
  const csrPem = execFileSync('openssl', ['req', '-new', '-key', keyFile, '-subj', subject], { encoding: 'utf8' });
  return { keyFile, csrPem };
}

function csrObject(name: string, csrPem: string): Record<string, unknown> {
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86_400, usages: ['client auth'] },
  };
}

async function certificateOf(name: string): Promise<string> {
  return kubectl.ok(['get', 'csr', name, '-o', 'jsonpath={.status.certificate}']);
}

function waitForCertificate(name: string): Promise<string> {
  return waitFor(async () => (await certificateOf(name)) || undefined, { timeoutMs: 20_000, intervalMs: 100, description: `status.certificate of CSR ${name}` });
}

/** The admin kubeconfig with its user's credentials swapped for these. */
async function kubeconfigWith(name: string, certPem: string, keyFile: string): Promise<string> {
  const file = join(work, `${name}.kubeconfig`);
  writeFileSync(file, readFileSync(cloud.kubeconfig));
  writeFileSync(join(work, `${name}.crt`), certPem);
  await kubectl.ok(['--kubeconfig', file, 'config', 'set-credentials', 'admin', '--embed-certs', `--client-certificate=${join(work, `${name}.crt`)}`, `--client-key=${keyFile}`]);
  return file;
}

describe('CertificateSigningRequests with kubectl 1.32', () => {
  it('kubectl certificate approve: the signer issues a certificate that authenticates as the request\'s CN', async () => {
    const { keyFile, csrPem } = opensslCsr('alice', ['devs']);
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(csrObject('alice', csrPem)) });
    const pending = await kubectl.ok(['get', 'csr', 'alice']);
    expect(pending.split('\n')[0]).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/);
    expect(pending).toMatch(/alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+system:admin\s+24h\s+Pending/);

    expect(await kubectl.ok(['certificate', 'approve', 'alice'])).toContain('certificatesigningrequest.certificates.k8s.io/alice approved');
    const encoded = await waitForCertificate('alice');
    const certPem = Buffer.from(encoded, 'base64').toString('utf8');
    const cert = new X509Certificate(certPem);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=alice', 'O=devs']);
    expect(await kubectl.ok(['get', 'csr', 'alice'])).toMatch(/alice\s.*\sApproved,Issued/);

    const alice = createKubectl(await kubeconfigWith('alice', certPem, keyFile));
    const whoami = await alice.ok(['auth', 'whoami']);
    expect(whoami).toMatch(/^Username\s+alice$/m);
    expect(whoami).toMatch(/^Groups\s+\[devs system:authenticated\]$/m);
    const denied = await alice(['get', 'pods', '-n', 'default']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('kubectl certificate deny: no certificate is ever issued', async () => {
    const { csrPem } = opensslCsr('mallory', ['devs']);
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(csrObject('mallory', csrPem)) });
    expect(await kubectl.ok(['certificate', 'deny', 'mallory'])).toContain('certificatesigningrequest.certificates.k8s.io/mallory denied');
    // One approved after it is signed: by then the signer has seen the denied one too.
    const later = opensslCsr('carol', []);
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(csrObject('carol', later.csrPem)) });
    await kubectl.ok(['certificate', 'approve', 'carol']);
    await waitForCertificate('carol');
    expect(await certificateOf('mallory')).toBe('');
    expect(await kubectl.ok(['get', 'csr', 'mallory'])).toMatch(/mallory\s.*\sDenied\s*$/m);
    const approveDenied = await kubectl(['certificate', 'approve', 'mallory', '--force']);
    expect(approveDenied.code).not.toBe(0);
    expect(await certificateOf('mallory')).toBe('');
  });

  it('approving needs approve on the signer besides update on the approval subresource', async () => {
    const approver = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'csr-approver' },
      rules: [
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      ],
    };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'csr-approver' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'csr-approver' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'approver' }] };
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(approver, binding) });
    const { csrPem } = opensslCsr('bob', ['devs']);
    await kubectl.ok(['create', '-f', '-'], { stdin: manifest(csrObject('bob', csrPem)) });
    const refused = await kubectl(['certificate', 'approve', 'bob', '--as', 'approver']);
    expect(refused.stderr).toContain('certificatesigningrequests.certificates.k8s.io "bob" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"');
    const withSigner = { ...approver, rules: [...approver.rules, { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/*'], verbs: ['approve'] }] };
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(withSigner) });
    expect(await kubectl.ok(['certificate', 'approve', 'bob', '--as', 'approver'])).toContain('certificatesigningrequest.certificates.k8s.io/bob approved');
    await waitForCertificate('bob');
  });

  it('refuses a request for the system:masters group at create', async () => {
    const { csrPem } = opensslCsr('root', ['system:masters']);
    const refused = await kubectl(['create', '-f', '-'], { stdin: manifest(csrObject('root', csrPem)) });
    expect(refused.stderr).toContain('is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
  });
});

describe('outpost kubeconfig create', () => {
  it('writes a 0600 kubeconfig that authenticates as the user, in the groups asked for', async () => {
    const output = join(work, 'dev.kubeconfig');
    await run(process.execPath, [OUTPOST_CLI, 'kubeconfig', 'create', 'dev', '--group', 'devs', '--ttl', '24h', '--data-dir', cloud.dataDir, '--output', output]);
    expect(statSync(output).mode & 0o777).toBe(0o600);
    const config = parseYaml(readFileSync(output, 'utf8')) as { users: Array<{ user: Record<string, string> }>; clusters: Array<{ cluster: Record<string, string> }> };
    const admin = parseYaml(readFileSync(cloud.kubeconfig, 'utf8')) as typeof config;
    expect(config.clusters[0]?.cluster).toEqual(admin.clusters[0]?.cluster);
    const cert = new X509Certificate(Buffer.from(config.users[0]?.user['client-certificate-data'] ?? '', 'base64'));
    expect(cert.subject.split('\n').sort()).toEqual(['CN=dev', 'O=devs']);

    const dev = createKubectl(output);
    const whoami = await dev.ok(['auth', 'whoami']);
    expect(whoami).toMatch(/^Username\s+dev$/m);
    expect(whoami).toMatch(/^Groups\s+\[devs system:authenticated\]$/m);
    const denied = await dev(['get', 'deployments', '-n', 'default']);
    expect(denied.stderr).toContain('User "dev" cannot list resource "deployments" in API group "apps" in the namespace "default"');
    expect(await kubectl.ok(['get', 'csr'])).toMatch(/^dev-\S+\s.*\ssystem:admin\s+24h\s+Approved,Issued$/m);
  });

  // The issue's Done-when: bound to `edit` in one namespace, the user deploys there and gets
  // Kubernetes' Forbidden message elsewhere.
  it('a user bound to edit in one namespace deploys there and is forbidden elsewhere', async () => {
    const output = join(work, 'dev-edit.kubeconfig');
    await run(process.execPath, [OUTPOST_CLI, 'kubeconfig', 'create', 'dev', '--group', 'devs', '--data-dir', cloud.dataDir, '--output', output]);
    await kubectl.ok(['create', 'namespace', 'dev']);
    await kubectl.ok(['create', 'namespace', 'other']);
    await kubectl.ok(['create', 'rolebinding', 'devs-edit', '--clusterrole=edit', '--group=devs', '-n', 'dev']);
    const dev = createKubectl(output);
    expect(await dev.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'dev'])).toBe('deployment.apps/web created\n');
    expect(await dev.ok(['get', 'deployments', '-n', 'dev'])).toMatch(/^web\s/m);
    const elsewhere = await dev(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'other']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr.trim()).toBe(
      'error: failed to create deployment: deployments.apps is forbidden: User "dev" cannot create resource "deployments" in API group "apps" in the namespace "other"',
    );
  });

  it('prints to stdout by default, and says clearly what is wrong', async () => {
    const { stdout } = await run(process.execPath, [OUTPOST_CLI, 'kubeconfig', 'create', 'ops', '--data-dir', cloud.dataDir]);
    expect(parseYaml(stdout)).toMatchObject({ kind: 'Config', 'current-context': 'ops@outpost' });

    const missing = join(work, 'no-such-dir');
    await expect(run(process.execPath, [OUTPOST_CLI, 'kubeconfig', 'create', 'x', '--data-dir', missing])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`outpost: data directory ${missing} does not exist`),
    });
    expect(existsSync(missing)).toBe(false);
    await expect(run(process.execPath, [OUTPOST_CLI, 'kubeconfig', 'create', 'root', '--group', 'system:masters', '--data-dir', cloud.dataDir])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed'),
    });
  });
});
