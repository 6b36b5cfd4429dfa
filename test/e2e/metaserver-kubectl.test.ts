import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { metaGet, podFor, startMetaSetup, type MetaSetup } from '../helpers/metaserver-e2e.js';

let setup: MetaSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

describe('MetaServer with kubectl (real cloudcore, edgecore and kubectl 1.32)', () => {
  it('a pod bound to the edge shows in `kubectl get pods` against MetaServer, also with cloudcore stopped; secrets need the token', async () => {
    setup = await startMetaSetup();
    const s = setup;
    expect(s.metaserver()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(join(s.edgeDir, 'edges', s.node)).mode & 0o777).toBe(0o700);
    expect(statSync(join(s.edgeDir, 'edges', s.node, 'metaserver.token')).mode & 0o777).toBe(0o600);
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', podFor('web', s.node))).status).toBe(201);
    await waitFor(async () => (await metaGet(s.metaserver(), '/api/v1/namespaces/default/pods')).body.items.some((p) => p.metadata.name === 'web'), 15_000, () => `pod not in MetaServer\n${s.edge.output()}`);

    const kubectl = s.kubectl();
    const table = await kubectl.ok(['get', 'pods']);
    expect(table).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(table).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\S+/m);
    expect(await kubectl.ok(['get', 'pods', '-A', '-l', 'app=meta', '-o', 'wide'])).toMatch(/^default\s+web\s.*meta-1/m);
    expect(await kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.nodeName}'])).toBe(s.node);

    // Secrets: refused without a credential, readable with the token file's token (over HTTPS on
    // the same port, since client-go never sends a bearer token over plain HTTP).
    const refused = await kubectl(['get', 'secrets']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Forbidden.*metaserver\.token/);
    const withToken = await s.kubectlWithToken()(['get', 'secrets']);
    expect(withToken.code, withToken.stderr).toBe(0);
    expect(withToken.stderr).toMatch(/No resources found/);
    expect((await s.kubectlWithToken()(['get', 'secrets', '--token', 'wrong'])).stderr).toMatch(/provide credentials|Unauthorized/);
    // A cache: writes are refused with a clear message.
    const del = await kubectl(['delete', 'pod', 'web']);
    expect(del.stderr).toMatch(/MethodNotAllowed.*read-only cache/);

    // Offline: cloudcore stopped, MetaServer still answers from edge.db.
    await s.cloud.stop('SIGKILL');
    await waitFor(() => s.edge.endpoints()?.connection === 'disconnected', 15_000, () => 'edge still connected');
    expect(await kubectl.ok(['get', 'pods'])).toMatch(/^web\s+0\/1\s+Pending/m);
    expect(await kubectl.ok(['get', 'pods', '--server', s.metaserver()])).toMatch(/^web\s/m);
    const metrics = await (await fetch(`${s.metaserver()}/metrics`)).text();
    expect(metrics).toMatch(/outpost_edge_store_objects\{kind="Pod"\} 1/);
    expect(metrics).toMatch(/outpost_edge_connection_state\{state="connected"\} 0/);
    expect(await (await fetch(`${s.metaserver()}/healthz`)).text()).toBe('ok');
  });

  it('serves the devices and device models bound to the edge to `kubectl get devices,devicemodels`', async () => {
    setup = await startMetaSetup();
    const s = setup;
    const devices = '/apis/devices.kubeedge.io/v1beta1/namespaces/default';
    const model = { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'meter' }, spec: { properties: [{ name: 'watts', type: 'INT', accessMode: 'ReadOnly' }] } };
    const device = { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name: 'meter-1' }, spec: { nodeName: s.node, deviceModelRef: { name: 'meter' } } };
    expect((await s.api('POST', `${devices}/devicemodels`, model)).status).toBe(201);
    expect((await s.api('POST', `${devices}/devices`, device)).status).toBe(201);
    const kubectl = s.kubectl();
    let table = '';
    await waitFor(async () => /^meter-1\s/m.test((table = (await kubectl(['get', 'devices'])).stdout)), 15_000, () => `kubectl get devices against MetaServer: ${table}`);
    expect(table).toMatch(/^NAME\s+AGE/);
    expect((await kubectl.ok(['get', 'devicemodels', '-o', 'name'])).trim()).toBe('devicemodel.devices.kubeedge.io/meter');
    expect((await kubectl.ok(['get', 'device', 'meter-1', '-o', 'jsonpath={.spec.nodeName}'])).trim()).toBe(s.node);
  });
});
