/**
 * Reconnect storms (issue 17, docs/reconnect-storms.md), real cloudcore and edgecore: the ticket
 * keys survive a SIGKILL restart of cloudcore (the cluster identity), so the edge's reconnect to the
 * restarted cloud resumes its TLS session: the new cloud counts no full handshake at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf, type Api } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createNodeCredentials, startEdge, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

const NODE = 'storm-edge';
let cloud: CloudProcess | undefined;
let edge: EdgeProcess | undefined;

/** One sample of cloudcore's /metrics (0 for a series not there). */
async function metric(api: Api, series: string): Promise<number> {
  const res = await api('GET', '/metrics');
  if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
  const line = res.body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

beforeAll(async () => {
  cloud = await startCloud();
  const edgeDir = tempDir('edge');
  await createNodeCredentials(cloud.dataDir, edgeDir, NODE);
  edge = await startEdge(writeEdgeConfig(edgeDir, NODE, `wss://127.0.0.1:${hubPortOf(cloud)}`), edgeDir, NODE);
}, 90_000);

afterAll(async () => {
  await edge?.stop('SIGKILL');
  await cloud?.stop('SIGKILL');
});

describe('edge reconnect across a cloudcore restart', () => {
  it('resumes the TLS session with the restarted cloudcore (ticket keys kept across the restart)', async () => {
    const first = cloud!;
    let api = rawClient(readKubeconfig(first.kubeconfig));
    await waitFor(async () => (await metric(api, 'outpost_cloudhub_connected_nodes')) === 1, { timeoutMs: 30_000, description: 'the edge connected' });
    expect(await metric(api, 'outpost_cloudhub_tls_sessions_total{resumed="false"}')).toBe(1);

    const hubPort = hubPortOf(first);
    await first.stop('SIGKILL');
    // The last --hub-port wins (commander): the restarted cloud listens where the edge dials.
    cloud = await startCloud({ dataDir: first.dataDir, args: ['--hub-port', String(hubPort)] });
    api = rawClient(readKubeconfig(cloud.kubeconfig));
    await waitFor(async () => (await metric(api, 'outpost_cloudhub_connected_nodes')) === 1, { timeoutMs: 45_000, description: () => `the edge back on the restarted cloud; edge output:\n${edge!.output().slice(-2000)}` });
    expect(await metric(api, 'outpost_cloudhub_tls_sessions_total{resumed="true"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(api, 'outpost_cloudhub_tls_sessions_total{resumed="false"}')).toBe(0);
    expect(await metric(api, 'outpost_cloudhub_handshakes_total{outcome="admitted"}')).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
