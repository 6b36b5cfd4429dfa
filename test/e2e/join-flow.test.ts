/**
 * The whole join flow with real processes: `outpost token create` → `outpost edge --server
 * --token` → the Node shows Ready; a restart needs no token; deleting the Node closes the
 * node's session and keeps it out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { bootstrapServer, createToken } from '../helpers/join.js';
import { eventually } from '../helpers/kubectl-e2e.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';

let cloud: CloudProcess;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cloud?.stop();
});

function startEdge(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [OUTPOST_CLI, 'edge', '--log-level', 'warn', '--metaserver-port', '0', '--mqtt-port', '0', '--no-pods', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

function edgeConnection(edgeDir: string, node: string, pid: number | undefined): string | undefined {
  const file = join(edgeDir, 'edges', node, 'endpoints.json');
  if (!existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; connection: string };
    return endpoints.pid === pid ? endpoints.connection : undefined;
  } catch {
    return undefined; // written atomically: an unreadable file is an older one
  }
}

async function nodeReady(name: string): Promise<boolean> {
  const api = rawClient(readKubeconfig(cloud.kubeconfig));
  const res = await api('GET', `/api/v1/nodes/${name}`);
  if (res.status !== 200) return false;
  const conditions = (res.json<{ status?: { conditions?: { type: string; status: string }[] } }>().status?.conditions ?? []);
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

describe('join flow', () => {
  it('token create → outpost edge --token → Node Ready; restarts need no token; a deleted Node is cut off', async () => {
    const edgeDir = tempDir('edge');
    const token = await createToken(cloud.dataDir);
    const first = startEdge(['--server', bootstrapServer(cloud.dataDir), '--token', token, '--node-name', 'flow-1', '--data-dir', edgeDir]);
    await eventually(() => nodeReady('flow-1'), `Node flow-1 Ready\n${first.output()}`, 45_000);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = startEdge(['--node-name', 'flow-1', '--data-dir', edgeDir]);
    await eventually(async () => edgeConnection(edgeDir, 'flow-1', second.child.pid) === 'connected', `restarted edge connected\n${second.output()}`, 45_000);

    const api = rawClient(readKubeconfig(cloud.kubeconfig));
    expect((await api('DELETE', '/api/v1/nodes/flow-1')).status).toBe(200);
    await eventually(async () => edgeConnection(edgeDir, 'flow-1', second.child.pid) === 'disconnected', `session closed after the Node was deleted\n${second.output()}`, 30_000);
    // It stays out: its reconnects are refused, so the Node is not registered again.
    await new Promise((r) => setTimeout(r, 3000));
    expect(edgeConnection(edgeDir, 'flow-1', second.child.pid)).toBe('disconnected');
    expect((await api('GET', '/api/v1/nodes/flow-1')).status).toBe(404);
  });
});
