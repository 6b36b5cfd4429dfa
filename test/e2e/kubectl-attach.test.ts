/**
 * `kubectl attach` and `kubectl run -i` through cloudcore: kubectl 1.32's websocket
 * (v5.channel.k8s.io) to `pods/{name}/attach` is relayed to the edge as a stream over the node's
 * websocket (docs/protocol.md R43), where edged attaches through CRI Attach and containerd's
 * streaming server. Real processes: cloudcore, edgecore with its own containerd, kubectl 1.32,
 * and script(1) for a terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { getPod, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { kubectlBinary } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';

const IMAGE = 'outpost.local/busybox:1';

function pod(name: string, node: string, container: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, ...container }] },
  };
}

const running = (p: { status?: { containerStatuses?: Array<{ state?: Record<string, unknown> }> } }) =>
  (p.status?.containerStatuses ?? []).length > 0 && (p.status?.containerStatuses ?? []).every((c) => c.state?.running !== undefined);

/** A kubectl whose output is collected as it comes, to be killed once the test saw what it waited for. */
interface LiveKubectl {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
}

function live(command: string, args: string[]): LiveKubectl {
  const child = spawn(command, args, { env: { ...process.env, HOME: tempDir('kubectl-home') }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => out, exited };
}

describe('kubectl attach and run -i through the node stream', () => {
  let setup: EdgedSetup;
  const kubectlArgs = (args: string[]): string[] => ['--kubeconfig', setup.cloud.kubeconfig, ...args];
  const waitForOutput = (k: LiveKubectl, text: string) => waitFor(() => k.output().includes(text), 30_000, () => `kubectl never printed ${JSON.stringify(text)}:\n${k.output()}`);

  beforeAll(async () => {
    setup = await startEdgedSetup({ node: 'attach-1' });
    const pods = [
      pod('ticker', setup.node, { command: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.5; done'] }),
      pod('echo', setup.node, { command: ['cat'], stdin: true }),
      pod('term', setup.node, { command: ['sh'], stdin: true, tty: true }),
    ];
    for (const obj of pods) {
      const res = await setup.api('POST', '/api/v1/namespaces/default/pods', obj);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
    }
    for (const name of ['ticker', 'echo', 'term']) await waitForPod(setup, name, running);
  }, 180_000);

  afterAll(async () => {
    await setup?.stop();
  }, 180_000);

  it('attach sees the output of the running container', async () => {
    const k = live(kubectlBinary(), kubectlArgs(['attach', 'ticker', '--pod-running-timeout=20s']));
    await waitForOutput(k, 'tick ');
    k.child.kill('SIGTERM');
    await k.exited;
  });

  it('attach -i carries stdin to the container and its answer back', async () => {
    const k = live(kubectlBinary(), kubectlArgs(['attach', '-i', 'echo']));
    k.child.stdin.write('hello through attach\n');
    await waitForOutput(k, 'hello through attach');
    k.child.kill('SIGTERM');
    await k.exited;
  });

  it('attach -it gives a terminal, with the size kubectl sends as a resize', async () => {
    // script(1) gives kubectl a pseudo-terminal; stty sets its size, which kubectl sends on the
    // resize channel at the start. kubectl attach first sends the size plus one row and column,
    // then the real size (so a re-attached screen redraws), from a goroutine of its own: a line of
    // stdin may reach the shell between the two, so the size is asked again until the second came.
    const command = `stty rows 31 cols 101; ${kubectlBinary()} --kubeconfig ${setup.cloud.kubeconfig} attach -it term`;
    const k = live('script', ['-qec', command, '/dev/null']);
    k.child.stdin.write('test -t 0 && echo on-a-tty-$((6*7))\n');
    await waitForOutput(k, 'on-a-tty-42');
    await waitFor(
      () => {
        if (k.output().includes('31 101')) return true;
        k.child.stdin.write('stty size\n');
        return false;
      },
      30_000,
      () => `kubectl never printed "31 101":\n${k.output()}`,
    );
    k.child.kill('SIGTERM');
    await k.exited;
  });

  it('run --rm -i attaches, prints what the container printed, and deletes the pod', async () => {
    // The container waits for a line of stdin, so this output can only come through attach.
    const kubectl = setup.kubectl;
    const result = await kubectl(['run', 'reader', '--rm', '-i', '--restart=Never', `--image=${IMAGE}`, '--', 'sh', '-c', 'read line; echo got $line'], {
      stdin: 'abc\n',
      timeoutMs: 90_000,
    });
    expect(result.stdout).toContain('got abc');
    expect(result.stderr).not.toContain('falling back');
    expect(result.code).toBe(0);
    await waitFor(async () => (await getPod(setup, 'reader')) === undefined, 30_000, () => 'pod reader is still there after run --rm');
  }, 120_000);

  it("run --rm -i of a command that does not read stdin prints its output and deletes the pod", async () => {
    const result = await setup.kubectl(['run', 'hello', '--rm', '-i', '--restart=Never', `--image=${IMAGE}`, '--', 'sh', '-c', 'echo hello; exit 0'], { stdin: '', timeoutMs: 90_000 });
    // The command may be over before kubectl attaches (it reads no stdin): kubectl then prints the
    // logs instead, with a warning, as against any cluster. Either way: the output, and no pod left.
    expect(result.stdout).toContain('hello');
    expect(result.code).toBe(0);
    await waitFor(async () => (await getPod(setup, 'hello')) === undefined, 30_000, () => 'pod hello is still there after run --rm');
  }, 120_000);

  it('run --rm -it gives the command a terminal, then deletes the pod', async () => {
    const command = `${kubectlBinary()} --kubeconfig ${setup.cloud.kubeconfig} run tty-run --rm -it --restart=Never --image=${IMAGE} -- sh -c 'read line; test -t 0 && echo got-tty-$line'`;
    const k = live('script', ['-qec', command, '/dev/null']);
    await waitForOutput(k, "If you don't see a command prompt");
    k.child.stdin.write('xyz\n');
    await waitForOutput(k, 'got-tty-xyz');
    expect(await k.exited).toBe(0);
    await waitFor(async () => (await getPod(setup, 'tty-run')) === undefined, 30_000, () => 'pod tty-run is still there after run --rm -it');
  }, 120_000);

  it('attach to a pod that does not exist is 404 in the API\'s words', async () => {
    const result = await setup.kubectl(['attach', 'nosuch'], { timeoutMs: 30_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pods "nosuch" not found');
  });

  it('a pod on an offline node fails at once, naming the node', async () => {
    await setup.edge.stop('SIGKILL');
    await waitFor(async () => /outpost_cloudhub_connected_nodes 0\b/.test((await setup.api('GET', '/metrics')).body), 30_000, () => 'the cloud still counts the node as connected');
    const result = await setup.kubectl(['attach', 'ticker'], { timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot attach to pod default/ticker: node "attach-1" is not connected');
  });
});
