import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { startChannel, testSeed, waitEdgeConnected, type ChannelSetup } from '../helpers/channel-e2e.js';

let setup: ChannelSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

describe('channel: sessions', () => {
  it('registers the edge Node as Ready, and closes the session of a deleted Node for good', async () => {
    setup = await startChannel(testSeed());
    const s = setup;
    await waitEdgeConnected(s);
    await waitFor(
      async () => {
        const node = (await s.api('GET', `/api/v1/nodes/${s.node}`)).json<{ metadata?: { labels?: Record<string, string> }; status?: { conditions?: Array<{ type: string; status: string }> } }>();
        return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && node.metadata?.labels?.['node-role.kubernetes.io/edge'] === '';
      },
      30_000,
      () => 'Node not Ready',
    );
    const metrics = await s.api('GET', '/metrics');
    expect(metrics.body).toMatch(/outpost_cloudhub_connected_nodes 1/);

    expect((await s.api('DELETE', `/api/v1/nodes/${s.node}`)).status).toBe(200);
    await waitFor(() => s.edge.endpoints()?.connection === 'disconnected', 30_000, () => `session not closed:\n${s.edge.output()}`);
    // Revoked: every later attempt is refused at the handshake, and the Node does not come back.
    await waitFor(() => /HTTP 403/.test(s.edge.output()), 30_000, () => `no refusal logged:\n${s.edge.output()}`);
    expect((await s.api('GET', `/api/v1/nodes/${s.node}`)).status).toBe(404);
    expect(s.edge.endpoints()?.connection).toBe('disconnected');
    // SIGTERM stops the agent cleanly.
    expect(await s.edge.stop('SIGTERM')).toBe(0);
  });
});
