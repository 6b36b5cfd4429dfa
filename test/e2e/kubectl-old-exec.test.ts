/**
 * `kubectl exec`, `kubectl cp`, `kubectl attach` and `kubectl run --rm -i` with kubectl 1.27 and
 * 1.29, which speak SPDY/3.1 to the API (remote command v4.channel.k8s.io; docs/kubectl.md § exec
 * and cp over SPDY, § attach over SPDY). Real processes: one cloudcore, one edgecore with its own
 * containerd, and the two kubectl binaries against its pods.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { waitFor } from '../helpers/edge-process.js';
import { getPod, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { createKubectl, kubectlBinary, type Kubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';

const IMAGE = 'outpost.local/busybox:1';

const running = (p: { status?: { containerStatuses?: Array<{ state?: Record<string, unknown> }> } }) =>
  (p.status?.containerStatuses ?? []).length > 0 && (p.status?.containerStatuses ?? []).every((c) => c.state?.running !== undefined);

let setup: EdgedSetup;

beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'old-exec-1' });
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'box', namespace: 'default' },
    spec: { nodeName: setup.node, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', 'exec sleep 3600'] }] },
  };
  const attachable = (name: string, container: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: setup.node, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, ...container }] },
  });
  const ticker = attachable('ticker', { command: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.5; done'] });
  const echo = attachable('echo', { command: ['cat'], stdin: true });
  for (const obj of [pod, ticker, echo]) {
    const res = await setup.api('POST', '/api/v1/namespaces/default/pods', obj);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
  }
  for (const name of ['box', 'ticker', 'echo']) await waitForPod(setup, name, running);
}, 180_000);

afterAll(async () => {
  await setup?.stop();
}, 180_000);

describe.each(['1.27', '1.29'])('kubectl %s over SPDY', (version) => {
  let kubectl: Kubectl;
  beforeAll(() => {
    kubectl = createKubectl(setup.cloud.kubeconfig, version);
  });

  it('exec prints the output and exits 0', async () => {
    const result = await kubectl(['exec', 'box', '--', 'echo', 'hi'], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('hi\n');
    expect(result.code).toBe(0);
  });

  it('exec keeps stdout and stderr apart', async () => {
    const result = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2'], { timeoutMs: 30_000 });
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.code).toBe(0);
  });

  it('exec -i carries piped stdin and its end', async () => {
    const result = await kubectl(['exec', '-i', 'box', '--', 'cat'], { stdin: 'data\nmore\n', timeoutMs: 30_000 });
    expect(result.stdout).toBe('data\nmore\n');
    expect(result.code).toBe(0);
  });

  it('a non-zero exit code is surfaced as kubectl does', async () => {
    const result = await kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'wc -l; exit 3'], { stdin: 'a\nb\n', timeoutMs: 30_000 });
    expect(result.stdout.trim()).toBe('2');
    expect(result.stderr).toContain('command terminated with exit code 3');
    expect(result.code).toBe(3);
  });

  it('cp copies a file into the pod and back (more than one stream window)', async () => {
    const dir = tempDir(`old-cp-${version}`);
    const original = join(dir, 'payload.bin');
    const back = join(dir, 'back.bin');
    const bytes = randomBytes(600 * 1024); // 600 KiB: more than the 256 KiB window, both ways
    writeFileSync(original, bytes);
    const target = `/tmp/payload-${version}.bin`;
    await kubectl.ok(['cp', original, `default/box:${target}`], { timeoutMs: 60_000 });
    expect((await kubectl.ok(['exec', 'box', '--', 'wc', '-c', target])).trim()).toBe(`${bytes.length} ${target}`);
    await kubectl.ok(['cp', `default/box:${target}`, back], { timeoutMs: 60_000 });
    expect(readFileSync(back).equals(bytes)).toBe(true);
  });

  /** A kubectl whose output is read as it comes, killed once the test saw what it waited for. */
  const live = (args: string[]) => {
    const child = spawn(kubectlBinary(version), ['--kubeconfig', setup.cloud.kubeconfig, ...args], { env: { ...process.env, HOME: tempDir('kubectl-home') }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const sees = (text: string) => waitFor(() => out.includes(text), 30_000, () => `kubectl ${version} never printed ${JSON.stringify(text)}:\n${out}`);
    return { child, exited, sees };
  };

  it('attach sees the output of the running container', async () => {
    const k = live(['attach', 'ticker']);
    await k.sees('tick ');
    k.child.kill('SIGTERM');
    await k.exited;
  });

  it('attach -i carries stdin to the container and its answer back', async () => {
    const k = live(['attach', '-i', 'echo']);
    k.child.stdin.write(`hello from ${version}\n`);
    await k.sees(`hello from ${version}`);
    k.child.kill('SIGTERM');
    await k.exited;
  });

  it('run --rm -i attaches, prints what the container printed, and deletes the pod', async () => {
    // The container waits for a line of stdin, so this output can only come through attach.
    const name = `reader-${version.replace('.', '-')}`;
    const result = await kubectl(['run', name, '--rm', '-i', '--restart=Never', `--image=${IMAGE}`, '--', 'sh', '-c', 'read line; echo got $line'], { stdin: 'abc\n', timeoutMs: 90_000 });
    expect(result.stdout).toContain('got abc');
    expect(result.stderr).not.toContain('falling back');
    expect(result.code).toBe(0);
    await waitFor(async () => (await getPod(setup, name)) === undefined, 30_000, () => `pod ${name} is still there after run --rm`);
  }, 120_000);

  it('a refusal before the switch is printed as the server said it', async () => {
    const result = await kubectl(['exec', 'box', '-c', 'zz', '--', 'true'], { timeoutMs: 30_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('container zz is not valid for pod box');
  });
});

describe('the SPDY upgrade before the switch', () => {
  const spdy = (versions: string) => ({ Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': versions });
  const path = '/api/v1/namespaces/default/pods/box/exec?command=true&stdout=true';

  it('is authenticated as any request: no credential, 401', async () => {
    const { server, ca } = readKubeconfig(setup.cloud.kubeconfig);
    const res = await rawClient({ server, ca })('POST', path, undefined, spdy('v4.channel.k8s.io'));
    expect(res.status).toBe(401);
  });

  it('serves v4.channel.k8s.io only, refusing others as httpstream does', async () => {
    const res = await setup.api('POST', path, undefined, spdy('v3.channel.k8s.io, v2.channel.k8s.io'));
    expect(res.status).toBe(403);
    expect(res.body).toBe('unable to upgrade: unable to negotiate protocol: client supports [v3.channel.k8s.io v2.channel.k8s.io], server supports [v4.channel.k8s.io]');
  });

  it('an exec upgrade to neither websocket nor SPDY is refused before the node runs anything', async () => {
    const marker = '/tmp/ran-by-h2c';
    const res = await setup.api('POST', `/api/v1/namespaces/default/pods/box/exec?command=touch&command=${marker}&stdout=true`, undefined, { Connection: 'Upgrade', Upgrade: 'h2c' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('exec upgrades to websocket or SPDY/3.1 only');
    const listed = await createKubectl(setup.cloud.kubeconfig, '1.29')(['exec', 'box', '--', 'ls', marker], { timeoutMs: 30_000 });
    expect(listed.code).not.toBe(0);
  });
});
