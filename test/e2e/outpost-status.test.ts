/**
 * `outpost status` with real processes (issue 18; docs/status.md): one cloudcore with a 5 s
 * --node-monitor-grace-period, two metadata-only edges renewing their Leases every second, a
 * Device applied with a real kubectl. The screen shows both nodes Ready, connected to this
 * cloudcore, with their outbox depth (docs/protocol.md R48); after SIGKILL one edge shows offline
 * with its last-seen age; `-w` off a terminal prints a new block per refresh and stops on SIGINT;
 * with the cloud gone the screen says so and the exit code is 1.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../cli/status/index.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { deviceYaml } from '../helpers/devices-e2e.js';
import { createNodeCredentials, startEdge, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { outpost } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const NODES = ['status-a', 'status-b'] as const;
const WAIT_MS = 30_000;
let cloud: CloudProcess;
const edges = new Map<string, EdgeProcess>();
let hubId: string;

function outpostStatus(args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return outpost(['status', '--data-dir', cloud.dataDir, ...args]);
}

async function snapshot(): Promise<StatusSnapshot> {
  const run = await outpostStatus(['-o', 'json']);
  if (run.code !== 0) throw new Error(`outpost status -o json exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as StatusSnapshot;
}

const nodeOf = (s: StatusSnapshot, name: string) => (s.nodes.ok ? s.nodes.items.find((n) => n.name === name) : undefined);
const logs = (): string => `\ncloud:\n${cloud.output().slice(-2000)}\n${[...edges].map(([n, e]) => `${n}:\n${e.output().slice(-1500)}`).join('\n')}`;

beforeAll(async () => {
  cloud = await startCloud({ args: ['--node-monitor-grace-period', '5s'] });
  hubId = readFileSync(join(cloud.dataDir, 'cloud', 'hub-id'), 'utf8').trim();
  const hubUrl = `wss://127.0.0.1:${hubPortOf(cloud)}`;
  await Promise.all(
    NODES.map(async (node) => {
      const dir = tempDir('edge');
      await createNodeCredentials(cloud.dataDir, dir, node);
      const config = writeEdgeConfig(dir, node, hubUrl, { lease: { renewIntervalSeconds: 1 } });
      edges.set(node, await startEdge(config, dir, node));
    }),
  );
  const kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml({ namespace: 'default', name: 'thermo-1', model: 'thermo', node: 'status-a', properties: [{ name: 'target', type: 'INT', desired: '21' }] }) });
  // A pod bound to status-a (these edges run no containers: it stays Pending, and still counts).
  const api = rawClient(readKubeconfig(cloud.kubeconfig));
  const created = await api('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'status-a', containers: [{ name: 'c', image: 'busybox' }] } });
  expect(created.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await Promise.all([...edges.values()].map((e) => e.stop('SIGKILL')));
  await cloud?.stop('SIGKILL');
});

describe('outpost status', () => {
  it('shows both nodes Ready, connected to this cloudcore with their outbox depth, their pods, the device and the cloud\'s health', async () => {
    const seen = await waitFor(
      async () => {
        const s = await snapshot();
        const ready = NODES.every((n) => nodeOf(s, n)?.ready === 'Ready' && nodeOf(s, n)?.hub === hubId && nodeOf(s, n)?.outboxDepth !== undefined);
        const device = s.devices.ok && s.devices.items.some((d) => d.name === 'thermo-1' && d.twinsInSync === '0/1');
        return ready && device ? s : undefined;
      },
      { timeoutMs: WAIT_MS, intervalMs: 300, description: () => `both nodes Ready via hub ${hubId} with an outbox depth, and the device's summary${logs()}` },
    );
    expect(seen.cloud.readyz.state).toBe('ok');
    expect(seen.cloud.hubs).toMatchObject({ ok: true, items: [{ id: hubId, live: true }] });
    expect(nodeOf(seen, 'status-a')?.pods.map((p) => p.name)).toEqual(['web']);

    const text = await outpostStatus();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^CLOUD https:\/\/127\.0\.0\.1:\d+\s+ready ok \(\d+ checks?\), live ok/m);
    expect(text.stdout).toMatch(new RegExp(`^\\s+${hubId}\\s+wss://\\S+\\s+live\\s+renewed \\d+s ago$`, 'm'));
    expect(text.stdout).toContain('NODES (2, 2 ready)');
    for (const node of NODES) expect(text.stdout).toMatch(new RegExp(`^\\s+${node}\\s+Ready\\s+online\\s+${hubId}\\s+\\d+s ago\\s+\\d+\\s`, 'm'));
    expect(text.stdout).toMatch(/^\s+status-a\s+default\/web\s+0\/1\s+Pending\s+0$/m);
    expect(text.stdout).toMatch(/^\s+default\/thermo-1\s+status-a\s+\S+\s+0\/1/m);
  });

  it('shows an edge that was killed as offline, with its last-seen age and last cloudcore', async () => {
    await edges.get('status-b')?.stop('SIGKILL');
    await waitFor(async () => nodeOf(await snapshot(), 'status-b')?.link === 'offline', {
      timeoutMs: WAIT_MS,
      intervalMs: 500,
      description: () => `status-b offline${logs()}`,
    });
    const text = await outpostStatus();
    expect(text.stdout).toContain('NODES (2, 1 ready)');
    expect(text.stdout).toMatch(new RegExp(`^\\s+status-b\\s+Unknown\\s+offline\\s+\\(${hubId}\\)\\s+\\d+s ago\\s`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^\\s+status-a\\s+Ready\\s+online\\s+${hubId}\\s`, 'm'));
  });

  it('-w off a terminal prints a new block per refresh until SIGINT', async () => {
    const child = spawn(process.execPath, [OUTPOST_CLI, 'status', '--data-dir', cloud.dataDir, '-w', '--interval', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => (stdout.match(/^Outpost status at /gm) ?? []).length >= 2, { timeoutMs: WAIT_MS, description: () => `two refreshes; got:\n${stdout}` });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).not.toContain('\u001b[');
    const blocks = stdout.split(/^(?=Outpost status at )/m);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) expect(block).toContain('NODES (2, 1 ready)');
  });

  it('with the cloud stopped, says so on the screen and exits 1', async () => {
    await cloud.stop('SIGKILL');
    const run = await outpostStatus();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ready unreachable, live unreachable');
    expect(run.stderr).toMatch(/^outpost: the cloud API at https:\/\/127\.0\.0\.1:\d+ is not answering \(ECONNREFUSED\)/m);
  });
});
