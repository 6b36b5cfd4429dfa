import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { createKubectl } from '../helpers/kubectl.js';
import { podFor, startMetaSetup, type MetaSetup } from '../helpers/metaserver-e2e.js';

let setup: MetaSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

async function recordOnEdge(s: MetaSetup, body: Record<string, unknown>): Promise<{ recorded: number }> {
  const endpoints = s.edge.endpoints();
  if (endpoints?.debug === undefined) throw new Error('edge debug endpoint missing');
  const res = await fetch(`${endpoints.debug}/debug/event`, { method: 'POST', headers: { authorization: `Bearer ${endpoints.debugToken ?? ''}` }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { recorded: number };
}

describe('events from the edge (real cloudcore and edgecore, kubectl 1.32)', () => {
  it('aggregates a series into one Event with a count; the agent start shows on the Node; other nodes\' pods are refused', async () => {
    setup = await startMetaSetup({ node: 'events-1' });
    const s = setup;
    const created = await s.api('POST', '/api/v1/namespaces/default/pods', podFor('web', s.node));
    expect(created.status).toBe(201);
    const uid = created.json<{ metadata: { uid: string } }>().metadata.uid;
    const foreign = await s.api('POST', '/api/v1/namespaces/default/pods', podFor('elsewhere', 'some-other-node'));
    expect(foreign.status).toBe(201);
    await waitFor(async () => (await s.api('GET', '/api/v1/namespaces/default/pods/web')).status === 200, 15_000, () => 'pod');

    await recordOnEdge(s, { about: { kind: 'Pod', namespace: 'default', name: 'web', uid }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container c', times: 5 });
    await recordOnEdge(s, { about: { kind: 'Pod', namespace: 'default', name: 'elsewhere' }, type: 'Normal', reason: 'Sneaky', message: 'not mine' });

    const kubectl = createKubectl(s.cloud.kubeconfig);
    await waitFor(async () => /BackOff/.test(await kubectl.ok(['get', 'events', '-n', 'default'])), 15_000, () => `no BackOff event\n${s.edge.output()}`);
    const backoff = JSON.parse(await kubectl.ok(['get', 'events', '-n', 'default', '--field-selector', 'reason=BackOff', '-o', 'json'])) as { items: Array<Record<string, any>> };
    expect(backoff.items).toHaveLength(1);
    expect(backoff.items[0]).toMatchObject({ count: 5, type: 'Warning', involvedObject: { kind: 'Pod', name: 'web', uid }, source: { host: s.node } });
    const table = await kubectl.ok(['get', 'events', '-n', 'default']);
    expect(table).toMatch(/Warning\s+BackOff\s+pod\/web\s+Back-off restarting failed container c/);
    expect(table).toMatch(/Normal\s+Starting\s+node\/events-1\s+Starting outpost edge agent\./);
    expect(table).not.toMatch(/Sneaky/);
  });
});
