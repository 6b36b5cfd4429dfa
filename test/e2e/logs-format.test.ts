/**
 * Readable logs (issue 18, docs/logging.md): a real cloudcore at debug writes an access line per
 * kubectl request (debug for a success, info for a 404, a watch at its start and end) with no
 * credential in it; every line of the cloud and of a JSON edge is one JSON object with each key
 * once, read from the raw text; an edge with --log-format pretty writes readable lines.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubPortOf } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createNodeCredentials, startEdge, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { parseJsonLogLines } from '../helpers/log-lines.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const QUERY_SECRET = 'q-s3cret-value';
const BEARER_SECRET = 'b-s3cret-value';

let cloud: CloudProcess;
let kubectl: Kubectl;
const edges: EdgeProcess[] = [];

/** A metadata-only edge (no containerd) with its own log format, connected to the cloud. */
async function startLoggingEdge(nodeName: string, format: 'json' | 'pretty', logLevel: string): Promise<EdgeProcess> {
  const dir = tempDir(`logs-${nodeName}`);
  mkdirSync(join(dir, 'edges'), { recursive: true });
  await createNodeCredentials(cloud.dataDir, dir, nodeName);
  const config = writeEdgeConfig(dir, nodeName, `wss://127.0.0.1:${hubPortOf(cloud)}`, { logLevel });
  const edge = await startEdge(config, dir, nodeName, ['--log-format', format]);
  edges.push(edge);
  await waitFor(() => edge.endpoints()?.connection === 'connected', { timeoutMs: 30_000, intervalMs: 100, description: () => `${nodeName} to connect:\n${edge.output()}` });
  return edge;
}

function accessLines(): Array<Record<string, unknown>> {
  return parseJsonLogLines(cloud.output()).map((l) => l.fields).filter((f) => f.module === 'apiserver/access');
}

async function accessLine(description: string, match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return waitFor(() => accessLines().find(match), { timeoutMs: 15_000, intervalMs: 100, description: () => `an access line for ${description}; cloud output:\n${cloud.output().slice(-4000)}` });
}

beforeAll(async () => {
  cloud = await startCloud({ args: ['--log-level', 'debug', '--log-format', 'json'] });
  kubectl = createKubectl(cloud.kubeconfig);
});

afterAll(async () => {
  for (const edge of edges) await edge.stop();
  await cloud?.stop();
});

describe('API access log', () => {
  it('a success at debug with user, agent, address and duration; a 404 at info; a watch at start and end', async () => {
    await kubectl.ok(['get', 'pods', '-A']);
    const missing = await kubectl(['get', 'pod', 'nope', '-n', 'default']);
    expect(missing.stderr).toContain('NotFound');
    await kubectl.ok(['get', '--raw', '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1']);

    const list = await accessLine('kubectl get pods -A', (l) => l.method === 'GET' && typeof l.path === 'string' && l.path.startsWith('/api/v1/pods?') && l.status === 200);
    expect(list).toMatchObject({ level: 20, component: 'cloudcore', user: expect.stringMatching(/.+/), durationMs: expect.any(Number) });
    expect(list.userAgent).toMatch(/^kubectl/);
    expect(list.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(list.msg).toBe(`GET ${String(list.path)} 200`);

    const notFound = await accessLine('the 404', (l) => l.path === '/api/v1/namespaces/default/pods/nope');
    expect(notFound).toMatchObject({ level: 30, status: 404, method: 'GET' });

    // kubectl sorts the query: the watch is told by its path and stream field.
    const isWatch = (l: Record<string, unknown>) => typeof l.path === 'string' && l.path.startsWith('/api/v1/namespaces/default/configmaps?') && l.path.includes('watch=1');
    const ended = await accessLine('the watch ending', (l) => isWatch(l) && l.stream === 'ended');
    expect(ended).toMatchObject({ level: 20, status: 200 });
    const started = accessLines().filter((l) => isWatch(l) && l.stream === 'started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ level: 20 });
    expect(started[0]).not.toHaveProperty('status');
  });

  it('never logs a bearer token or a token= query value', async () => {
    await kubectl(['get', '--raw', `/api/v1/namespaces?token=${QUERY_SECRET}&limit=1`]);
    await kubectl(['get', '--raw', '/api/v1/namespaces', '--token', BEARER_SECRET]);
    const line = await accessLine('the token= query', (l) => typeof l.path === 'string' && l.path.startsWith('/api/v1/namespaces?') && l.path.includes('token='));
    expect(line.path).toBe('/api/v1/namespaces?limit=1&token=REDACTED');
    await accessLine('the bearer request', (l) => l.path === '/api/v1/namespaces');
    expect(cloud.output()).not.toContain(QUERY_SECRET);
    expect(cloud.output()).not.toContain(BEARER_SECRET);
  });
});

describe('log formats', () => {
  it('--log-format json: every line of the cloud and of an edge is one JSON object, each key once', async () => {
    const edge = await startLoggingEdge('logs-json', 'json', 'debug');
    const cloudLines = parseJsonLogLines(cloud.output());
    expect(cloudLines.length).toBeGreaterThan(10);
    expect(new Set(cloudLines.map((l) => l.fields.component))).toEqual(new Set(['cloudcore']));
    const edgeLines = parseJsonLogLines(edge.output());
    expect(edgeLines.length).toBeGreaterThan(5);
    expect(new Set(edgeLines.map((l) => l.fields.component))).toEqual(new Set(['edgecore/logs-json']));
    // Modules of the edge, named once each (the repeated `module` of issue 18).
    expect(edgeLines.some((l) => l.fields.module === 'edgehub')).toBe(true);
  });

  it('--log-format pretty: readable lines with time, level, component and module, no colours off a terminal', async () => {
    const edge = await startLoggingEdge('logs-pretty', 'pretty', 'info');
    const lines = edge.output().split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      expect(line.startsWith('{'), line).toBe(false);
      expect(line, line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL)( \(name=[^)]*\))?: edgecore\/logs-pretty[ :]/);
    }
    expect(lines.some((l) => / INFO: edgecore\/logs-pretty edgehub: /.test(l))).toBe(true);
    expect(edge.output()).not.toContain('\u001b[');
  });
});
