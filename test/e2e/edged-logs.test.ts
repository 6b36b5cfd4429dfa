/**
 * `kubectl logs` through cloudcore: the request reaches the edge as a stream over the node's
 * websocket (docs/protocol.md R26–R31) and is read from the container's CRI log by edged. Real
 * processes: cloudcore, edgecore with its own containerd, and kubectl 1.32.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { edgeDataDirOf, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';

const IMAGE = 'outpost.local/busybox:1';

function pod(name: string, node: string, containers: Array<{ name: string; script: string }>, restartPolicy = 'Always'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, restartPolicy, terminationGracePeriodSeconds: 1, containers: containers.map((c) => ({ name: c.name, image: IMAGE, command: ['sh', '-c', c.script] })) },
  };
}

const running = (name?: string) => (p: { status?: { containerStatuses?: Array<{ name: string; state?: Record<string, unknown> }> } }) =>
  (p.status?.containerStatuses ?? []).filter((c) => name === undefined || c.name === name).some((c) => c.state?.running !== undefined);

describe('kubectl logs through the node stream', () => {
  let setup: EdgedSetup;

  beforeAll(async () => {
    // Rotation at 1 MiB, checked every second, so that a test can watch one happen.
    setup = await startEdgedSetup({ node: 'logs-1', edged: { containerLogMaxSizeBytes: 1024 * 1024, containerLogMaxFiles: 3, containerLogMonitorIntervalSeconds: 1 } });
    const apply = async (obj: Record<string, unknown>) => {
      const res = await setup.api('POST', '/api/v1/namespaces/default/pods', obj);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
    };
    await apply(pod('talker', setup.node, [{ name: 'main', script: 'for i in 1 2 3 4 5; do echo line-$i; done; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 1; done' }]));
    await apply(pod('duo', setup.node, [
      { name: 'a', script: 'echo from-a; exec sleep 3600' },
      { name: 'b', script: 'echo from-b; exec sleep 3600' },
    ]));
    // Runs 6 s, fails, restarts after the 10 s back-off: each run prints a line of its own.
    await apply(pod('crasher', setup.node, [{ name: 'c', script: 'echo run-$(date +%s); sleep 6; exit 1' }]));
    await waitForPod(setup, 'talker', running());
    await waitForPod(setup, 'duo', (p) => running('a')(p) && running('b')(p));
  }, 180_000);

  afterAll(async () => {
    await setup?.stop();
  }, 180_000);

  it('shows the container output, --tail and --timestamps', async () => {
    await waitFor(async () => (await setup.kubectl(['logs', 'talker'])).stdout.includes('tick-2'), 30_000, () => 'talker printed no ticks');
    const all = await setup.kubectl.ok(['logs', 'talker']);
    expect(all.startsWith('line-1\nline-2\nline-3\nline-4\nline-5\ntick-1\n')).toBe(true);
    const tail = (await setup.kubectl.ok(['logs', 'talker', '--tail', '2'])).split('\n').filter((l) => l !== '');
    expect(tail).toHaveLength(2);
    expect(tail[0]).toMatch(/^tick-\d+$/);
    expect(Number(tail[1]?.slice(5))).toBe(Number(tail[0]?.slice(5)) + 1);
    const stamped = await setup.kubectl.ok(['logs', 'talker', '--tail', '1', '--timestamps']);
    expect(stamped).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}) tick-\d+\n$/);
    const limited = await setup.kubectl.ok(['logs', 'talker', '--limit-bytes', '9']);
    expect(limited).toBe('line-1\nli');
  });

  it('-f carries a log larger than the stream window and follows it across a rotation', async () => {
    // After kubectl has started following, about 5 MB of CRI log at once (600 kB of text), then a
    // line a second: the 1 MiB rotation fires while kubectl follows.
    const res = await setup.api('POST', '/api/v1/namespaces/default/pods', pod('chatty', setup.node, [{ name: 'c', script: 'sleep 4; seq 1 100000; i=0; while true; do i=$((i+1)); echo after-$i; sleep 1; done' }]));
    expect(res.status).toBe(201);
    const uid = res.json<{ metadata: { uid: string } }>().metadata.uid;
    await waitForPod(setup, 'chatty', running());
    const started = Date.now();
    const child = setup.kubectl.spawn(['logs', '-f', 'chatty']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes('\n100000\n'), 60_000, () => `the bulk never arrived: ${out.length} bytes`);
      console.log(`kubectl logs -f carried 100000 lines (${out.length} bytes) in ${Date.now() - started} ms`);
      const folder = join(edgeDataDirOf(setup), 'pods', `default_chatty_${uid}`, 'c');
      await waitFor(() => readdirSync(folder).some((f) => /^0\.log\.\d{8}-\d{6}$/.test(f)), 30_000, () => `no rotated log in ${folder}: ${readdirSync(folder).join(', ')}`);
      // The live file now starts after the rotation: a plain read shows only later lines.
      const current = await setup.kubectl.ok(['logs', 'chatty']);
      expect(current.startsWith('1\n')).toBe(false);
      const last = Number(/after-(\d+)\n$/.exec(current)?.[1] ?? '0');
      await waitFor(() => out.includes(`after-${last + 2}\n`), 30_000, () => `kubectl logs -f stopped after the rotation: ...${out.slice(-200)}`);
      const lines = out.split('\n');
      expect(lines.slice(0, 100000)).toEqual(Array.from({ length: 100000 }, (_, i) => String(i + 1)));
      const afters = lines.slice(100000).filter((l) => l !== '').map((l) => Number(l.slice(6)));
      expect(afters).toEqual(Array.from({ length: afters.length }, (_, i) => i + 1));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('-f sees a line the container prints later, and ends when kubectl goes', async () => {
    const before = (await setup.kubectl.ok(['logs', 'talker', '--tail', '1'])).trim();
    const next = `tick-${Number(before.slice(5)) + 2}`;
    const child = setup.kubectl.spawn(['logs', '-f', 'talker', '--tail', '1']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => out.includes(`${next}\n`), 30_000, () => `kubectl logs -f never showed ${next}; it printed:\n${out}`);
      expect(out.startsWith('tick-')).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('-c picks the container; without it kubectl defaults to the first, and the API gives Kubernetes\' error', async () => {
    expect(await setup.kubectl.ok(['logs', 'duo', '-c', 'b'])).toBe('from-b\n');
    const defaulted = await setup.kubectl(['logs', 'duo']);
    expect(defaulted.code).toBe(0);
    expect(defaulted.stdout).toBe('from-a\n');
    expect(defaulted.stderr).toContain('Defaulted container "a" out of: a, b');
    const raw = await setup.api('GET', '/api/v1/namespaces/default/pods/duo/log');
    expect(raw.status).toBe(400);
    expect(raw.json<{ message: string }>().message).toBe('a container name must be specified for pod duo, choose one of: [a b]');
    const unknown = await setup.kubectl(['logs', 'duo', '-c', 'zz']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('container zz is not valid for pod duo');
    const noPrevious = await setup.kubectl(['logs', 'talker', '--previous']);
    expect(noPrevious.code).not.toBe(0);
    expect(noPrevious.stderr).toContain('previous terminated container "main" in pod "talker" not found');
  });

  it('--previous shows the run before the restart', async () => {
    await waitForPod(setup, 'crasher', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && running()(p), 90_000);
    // The container lives 6 s per run: read both right after a restart is reported, so no
    // restart falls between the reads (else `--previous` is the run `logs` just read as current).
    const seen = (await waitForPod(setup, 'crasher', running())).status?.containerStatuses?.[0]?.restartCount ?? 0;
    await waitForPod(setup, 'crasher', (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > seen && running()(p), 70_000);
    const current = (await setup.kubectl.ok(['logs', 'crasher'])).trim();
    const previous = (await setup.kubectl.ok(['logs', 'crasher', '--previous'])).trim();
    expect(current).toMatch(/^run-\d+$/);
    expect(previous).toMatch(/^run-\d+$/);
    expect(BigInt(previous.slice(4))).toBeLessThan(BigInt(current.slice(4)));
    // Following ends by itself once the container stops (it exits 6 s after it started).
    const followed = await setup.kubectl(['logs', '-f', 'crasher'], { timeoutMs: 30_000 });
    expect(followed.code).toBe(0);
    expect(followed.stdout.trim()).toMatch(/^run-\d+$/);
  }, 180_000);

  it('a pod on an offline node fails at once with a clear message', async () => {
    await setup.edge.stop('SIGKILL');
    await waitFor(async () => /outpost_cloudhub_connected_nodes 0\b/.test((await setup.api('GET', '/metrics')).body), 30_000, () => 'the cloud still counts the node as connected');
    const started = Date.now();
    const result = await setup.kubectl(['logs', 'talker'], { timeoutMs: 20_000 });
    const elapsedMs = Date.now() - started;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Error from server (ServiceUnavailable): cannot read the logs of pod default/talker: node "logs-1" is not connected');
    console.log(`kubectl logs against an offline node answered in ${elapsedMs} ms`);
  });
});
