/**
 * `kubectl exec` through cloudcore: kubectl 1.32's websocket (v5.channel.k8s.io) is relayed to the
 * edge as a stream over the node's websocket (docs/protocol.md R32), where edged runs the command
 * through CRI Exec and containerd's streaming server. Real processes: cloudcore, edgecore with its
 * own containerd, and kubectl 1.32.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { kubectlBinary } from '../helpers/kubectl.js';

const IMAGE = 'outpost.local/busybox:1';

function pod(name: string, node: string, containers: string[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: containers.map((c) => ({ name: c, image: IMAGE, command: ['sh', '-c', `echo ${c} > /name; exec sleep 3600`] })) },
  };
}

const running = (p: { status?: { containerStatuses?: Array<{ state?: Record<string, unknown> }> } }) =>
  (p.status?.containerStatuses ?? []).length > 0 && (p.status?.containerStatuses ?? []).every((c) => c.state?.running !== undefined);

describe('kubectl exec through the node stream', () => {
  let setup: EdgedSetup;

  beforeAll(async () => {
    setup = await startEdgedSetup({ node: 'exec-1' });
    for (const obj of [pod('box', setup.node, ['main']), pod('duo', setup.node, ['a', 'b'])]) {
      const res = await setup.api('POST', '/api/v1/namespaces/default/pods', obj);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
    }
    await waitForPod(setup, 'box', running);
    await waitForPod(setup, 'duo', running);
  }, 180_000);

  afterAll(async () => {
    await setup?.stop();
  }, 180_000);

  it('prints the output and exits 0', async () => {
    const result = await setup.kubectl(['exec', 'box', '--', 'echo', 'hello'], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('hello\n');
    expect(result.code).toBe(0);
  });

  it('keeps stdout and stderr apart', async () => {
    const result = await setup.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2'], { timeoutMs: 30_000 });
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.code).toBe(0);
  });

  it('exits with the command\'s exit code', async () => {
    const result = await setup.kubectl(['exec', 'box', '--', 'sh', '-c', 'exit 3'], { timeoutMs: 30_000 });
    expect(result.stderr).toContain('command terminated with exit code 3');
    expect(result.code).toBe(3);
  });

  it('carries stdin to the command', async () => {
    // head exits after one line: this needs no end-of-stdin (see the next test).
    const result = await setup.kubectl(['exec', '-i', 'box', '--', 'head', '-n', '1'], { stdin: 'data\nmore\n', timeoutMs: 30_000 });
    expect(result.stdout).toBe('data\n');
    expect(result.code).toBe(0);
  });

  it('passes the end of stdin on: `echo data | kubectl exec -i POD -- cat` ends', async () => {
    const result = await setup.kubectl(['exec', '-i', 'box', '--', 'cat'], { stdin: 'data\n', timeoutMs: 30_000 });
    expect(result.stdout).toBe('data\n');
    expect(result.code).toBe(0);
    const counted = await setup.kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'wc -l; exit 4'], { stdin: 'a\nb\nc\n', timeoutMs: 30_000 });
    expect(counted.stdout.trim()).toBe('3');
    expect(counted.code).toBe(4);
  });

  it('carries more stdin than one stream window', async () => {
    const big = `${'x'.repeat(1023)}\n`.repeat(600); // 600 KiB: more than the 256 KiB window
    const result = await setup.kubectl(['exec', '-i', 'box', '--', 'wc', '-c'], { stdin: big, timeoutMs: 60_000 });
    expect(result.stdout.trim()).toBe('614400');
    expect(result.code).toBe(0);
  });

  it('-c selects the container', async () => {
    expect(await setup.kubectl.ok(['exec', 'duo', '-c', 'b', '--', 'cat', '/name'])).toBe('b\n');
    expect(await setup.kubectl.ok(['exec', 'duo', '-c', 'a', '--', 'cat', '/name'])).toBe('a\n');
    const unknown = await setup.kubectl(['exec', 'duo', '-c', 'zz', '--', 'true'], { timeoutMs: 30_000 });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('container zz is not valid for pod duo');
    const missing = await setup.kubectl(['exec', 'nosuch', '--', 'true'], { timeoutMs: 30_000 });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('pods "nosuch" not found');
  });

  it('-it runs the command on a terminal', async () => {
    // script(1) gives kubectl a pseudo-terminal as its stdin, so it keeps the tty (kubectl drops
    // -t without -i). stty size shows the resize kubectl sends at the start went through.
    const command = `${kubectlBinary()} --kubeconfig ${setup.cloud.kubeconfig} exec -it box -- sh -c 'test -t 0 && test -t 1 && echo on-a-tty; stty size'`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toContain('on-a-tty');
    expect(code).toBe(0);
  });

  it('a pod on an offline node fails at once with a clear message', async () => {
    await setup.edge.stop('SIGKILL');
    await waitFor(async () => /outpost_cloudhub_connected_nodes 0\b/.test((await setup.api('GET', '/metrics')).body), 30_000, () => 'the cloud still counts the node as connected');
    const started = Date.now();
    const result = await setup.kubectl(['exec', 'box', '--', 'true'], { timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot exec into pod default/box: node "exec-1" is not connected');
    console.log(`kubectl exec against an offline node answered in ${Date.now() - started} ms:\n${result.stderr}`);
  });
});
