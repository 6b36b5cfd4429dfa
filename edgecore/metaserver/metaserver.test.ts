import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging.js';
import { EdgeStore } from '../metamanager/index.js';
import { createMetaServer, type DeviceMetricsSample, type MetaServer } from './index.js';
import { waitFor } from '../../test/helpers/poll.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function pod(uid: string, rv: string, extra: { labels?: Record<string, string>; nodeName?: string; name?: string; namespace?: string } = {}) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: extra.name ?? `p-${uid}`, namespace: extra.namespace ?? 'default', uid, resourceVersion: rv, labels: extra.labels ?? {}, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { nodeName: extra.nodeName ?? 'edge-1', containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Pending' },
  };
}

function secret(uid: string) {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default', uid, resourceVersion: '7' }, type: 'Opaque', data: { k: 'dg==' } };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

function call(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface WatchEvent {
  type: string;
  object: { kind?: string; code?: number; metadata?: { name?: string; resourceVersion?: string } };
}

/** Opens a watch and collects its events; `close()` ends it. */
function openWatch(base: string, path: string): { events: WatchEvent[]; ended: Promise<void>; close(): void } {
  const events: WatchEvent[] = [];
  let buffer = '';
  let close = (): void => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(new URL(path, base), (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buffer += d;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          events.push(JSON.parse(buffer.slice(0, nl)) as WatchEvent);
          buffer = buffer.slice(nl + 1);
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', (err) => (err.message === 'socket hang up' ? resolve() : reject(err)));
    req.end();
    close = () => req.destroy();
  });
  return { events, ended, close: () => close() };
}

async function until(check: () => boolean, what: string): Promise<void> {
  await waitFor(check, { timeoutMs: 5_000, intervalMs: 10, description: what });
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setup(options: { tombstoneLimit?: number; bookmarkIntervalMs?: number; deviceMetrics?: () => DeviceMetricsSample } = {}): Promise<{ store: EdgeStore; server: MetaServer; base: string; token: string; tokenFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-metaserver-'));
  const opened = EdgeStore.open(join(dir, 'edge.db'), options.tombstoneLimit === undefined ? {} : { tombstoneLimit: options.tombstoneLimit });
  if (!opened.ok) throw new Error(opened.message);
  const store = opened.value;
  const tokenFile = join(dir, 'metaserver.token');
  const server = createMetaServer({
    store, port: 0, tokenFile, pkiDir: join(dir, 'pki'), logger: createLogger({ component: 'test', level: 'silent' }), buildVersion: 'test',
    connectionPhase: () => 'backoff', bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000, now: () => new Date('2026-01-01T00:05:00Z'),
    ...(options.deviceMetrics === undefined ? {} : { deviceMetrics: options.deviceMetrics }),
  });
  await server.start(new AbortController().signal);
  cleanup.push(() => store.close(), () => server.stop());
  return { store, server, base: server.url(), token: readFileSync(tokenFile, 'utf8').trim(), tokenFile };
}

describe('MetaServer reads', () => {
  it('lists and gets with the edge revision as resourceVersion, never the cloud one', async () => {
    const { store, base } = await setup();
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '900') }, { kind: 'upsert', object: pod('b', '5') }]);
    const list = await call(base, 'GET', '/api/v1/namespaces/default/pods');
    expect(list.status).toBe(200);
    const body = list.json<{ kind: string; metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string; resourceVersion: string } }> }>();
    expect(body.kind).toBe('PodList');
    expect(body.metadata.resourceVersion).toBe('2');
    expect(body.items.map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`)).toEqual(['p-a@1', 'p-b@2']);
    expect((await call(base, 'GET', '/api/v1/namespaces/default/pods/p-a')).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion).toBe('1');
    // The stored object keeps the cloud's version for the inventory.
    expect(store.objects.inventory()).toEqual({ a: '900', b: '5' });
    const missing = await call(base, 'GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
  });

  it('serves Tables with the cloud API columns, selectors, and limit/continue', async () => {
    const { store, base } = await setup();
    store.applyDownstream([
      { kind: 'upsert', object: pod('a', '1', { labels: { app: 'web' } }) },
      { kind: 'upsert', object: pod('b', '2', { labels: { app: 'db' }, nodeName: 'other' }) },
      { kind: 'upsert', object: pod('c', '3', { labels: { app: 'web' }, namespace: 'kube-system' }) },
    ]);
    const table = (await call(base, 'GET', '/api/v1/pods', { Accept: TABLE })).json<{ kind: string; columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(table.rows.map((r) => r.cells[0])).toEqual(['p-a', 'p-b', 'p-c']);
    expect(table.rows[0]?.cells[4]).toBe('5m');
    const names = async (query: string) => (await call(base, 'GET', `/api/v1/pods?${query}`)).json<{ items: Array<{ metadata: { name: string } }> }>().items.map((p) => p.metadata.name);
    expect(await names('labelSelector=app%3Dweb')).toEqual(['p-a', 'p-c']);
    expect(await names('fieldSelector=spec.nodeName%3Dother')).toEqual(['p-b']);
    expect(await names('fieldSelector=metadata.namespace%21%3Ddefault')).toEqual(['p-c']);
    const bad = await call(base, 'GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    expect(bad.status).toBe(400);
    const page1 = (await call(base, 'GET', '/api/v1/pods?limit=2')).json<{ metadata: { continue?: string }; items: Array<{ metadata: { name: string } }> }>();
    expect(page1.items.map((p) => p.metadata.name)).toEqual(['p-a', 'p-b']);
    expect(await names(`limit=2&continue=${page1.metadata.continue ?? ''}`)).toEqual(['p-c']);
  });

  it('pages in the store order across namespaces whose names prefix each other', async () => {
    const { store, base } = await setup();
    store.applyDownstream(['a-b', 'a', 'b'].flatMap((ns, i) => [
      { kind: 'upsert' as const, object: pod(`${i}x`, '1', { name: 'x', namespace: ns }) },
      { kind: 'upsert' as const, object: pod(`${i}y`, '1', { name: 'y', namespace: ns }) },
    ]));
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 10; page++) {
      const body = (await call(base, 'GET', `/api/v1/pods?limit=1${token === '' ? '' : `&continue=${token}`}`)).json<{ metadata: { continue?: string }; items: Array<{ metadata: { namespace: string; name: string } }> }>();
      seen.push(...body.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      token = body.metadata.continue ?? '';
      if (token === '') break;
    }
    expect(seen).toEqual(['a/x', 'a/y', 'a-b/x', 'a-b/y', 'b/x', 'b/y']);
  });

  it('serves discovery for just what it serves, /version, /healthz and /metrics', async () => {
    const { base } = await setup();
    const aggregated = await call(base, 'GET', '/api', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    expect(aggregated.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const resources = aggregated.json<{ items: Array<{ versions: Array<{ resources: Array<{ resource: string; verbs: string[] }> }> }> }>().items[0]?.versions[0]?.resources ?? [];
    expect(resources.map((r) => r.resource).sort()).toEqual(['configmaps', 'nodes', 'pods', 'secrets', 'services']);
    expect(resources[0]?.verbs).toEqual(['get', 'list', 'watch']);
    expect((await call(base, 'GET', '/apis')).json()).toMatchObject({ kind: 'APIGroupList', groups: [{ name: 'devices.kubeedge.io', preferredVersion: { version: 'v1beta1' } }] });
    expect((await call(base, 'GET', '/api/v1')).json<{ resources: unknown[] }>().resources).toHaveLength(5);
    expect((await call(base, 'GET', '/version')).json()).toMatchObject({ major: '1', minor: '32' });
    expect((await call(base, 'GET', '/healthz')).body).toBe('ok');
    expect((await call(base, 'GET', '/api/v1/events')).status).toBe(404);
    await call(base, 'GET', '/api/v1/pods');
    const metrics = (await call(base, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/outpost_edge_outbox_depth 0/);
    expect(metrics).toMatch(/outpost_edge_connection_state\{state="backoff"\} 1/);
    expect(metrics).toMatch(/outpost_metaserver_requests_total\{verb="list",resource="pods",code="200"\} 1/);
  });

  it('serves the devices and device models it holds, with their discovery (devices.kubeedge.io/v1beta1)', async () => {
    const { base, store } = await setup();
    const meta = (name: string, uid: string) => ({ name, namespace: 'default', uid, resourceVersion: '9', creationTimestamp: '2026-01-01T00:00:00Z' });
    store.applyDownstream([
      { kind: 'upsert', object: { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: meta('thermostat', 'm1'), spec: { properties: [{ name: 'temperature', type: 'FLOAT' }] } } },
      { kind: 'upsert', object: { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: meta('thermo-1', 'd1'), spec: { nodeName: 'edge-1', deviceModelRef: { name: 'thermostat' } } } },
    ]);
    const group = (await call(base, 'GET', '/apis/devices.kubeedge.io')).json();
    expect(group).toMatchObject({ kind: 'APIGroup', name: 'devices.kubeedge.io', versions: [{ groupVersion: 'devices.kubeedge.io/v1beta1' }] });
    const resources = (await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1')).json<{ resources: Array<{ name: string; kind: string; verbs: string[] }> }>().resources;
    expect(resources.map((r) => [r.name, r.kind])).toEqual([['devices', 'Device'], ['devicemodels', 'DeviceModel']]);
    expect(resources[0]?.verbs).toEqual(['get', 'list', 'watch']);
    const list = (await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devices')).json<{ kind: string; items: Array<{ metadata: { name: string } }> }>();
    expect(list.kind).toBe('DeviceList');
    expect(list.items.map((d) => d.metadata.name)).toEqual(['thermo-1']);
    const model = await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devicemodels/thermostat');
    expect(model.json()).toMatchObject({ kind: 'DeviceModel', spec: { properties: [{ name: 'temperature' }] } });
    const table = (await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1/devices', { Accept: TABLE })).json<{ rows: Array<{ cells: unknown[] }> }>();
    expect(table.rows[0]?.cells).toEqual(['thermo-1', '5m']);
    expect((await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devices/thermo-1', {})).status).toBe(200);
    expect((await call(base, 'DELETE', '/apis/devices.kubeedge.io/v1beta1/namespaces/default/devices/thermo-1')).status).toBe(405);
    expect((await call(base, 'GET', '/apis/devices.kubeedge.io/v1beta1/devicestatuses')).status).toBe(404);
    const watch = openWatch(base, '/apis/devices.kubeedge.io/v1beta1/devices?watch=true&resourceVersion=0');
    cleanup.push(() => watch.close());
    await until(() => watch.events.length === 1, 'the synthetic ADDED of the device');
    expect(watch.events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Device', metadata: { name: 'thermo-1' } } });
  });

  it('shows the device twins\' MQTT connections and requests on /metrics', async () => {
    const { base } = await setup({
      deviceMetrics: () => ({ brokers: [{ role: 'internal', connected: true, received: 7, published: 9, dropped: 1 }], requests: { answered: 5, refused: 2, ignored: 0 } }),
    });
    const metrics = (await call(base, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/outpost_edge_mqtt_connected\{role="internal"\} 1/);
    expect(metrics).toMatch(/outpost_edge_mqtt_messages_total\{role="internal",direction="published"\} 9/);
    expect(metrics).toMatch(/outpost_devicetwin_requests_total\{outcome="refused"\} 2/);
  });

  it('shows the embedded broker\'s connections, messages and refusals on /metrics', async () => {
    const embeddedBroker = { connections: 3, messagesIn: 40, messagesOut: 38, shed: 5, connectionsRefused: 0, authRefused: 2, publishRefused: 1, subscribeRefused: 4, slowDisconnected: 1, oversizedPackets: 0 };
    const { base } = await setup({ deviceMetrics: () => ({ brokers: [], requests: { answered: 0, refused: 0, ignored: 0 }, embeddedBroker }) });
    const metrics = (await call(base, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/outpost_edge_mqtt_broker_connections 3/);
    expect(metrics).toMatch(/outpost_edge_mqtt_broker_messages_total\{direction="shed"\} 5/);
    expect(metrics).toMatch(/outpost_edge_mqtt_broker_refused_total\{reason="credentials"\} 2/);
    expect(metrics).toMatch(/outpost_edge_mqtt_broker_refused_total\{reason="slow_subscriber"\} 1/);
  });

  it('refuses writes with 405 and a Status', async () => {
    const { base } = await setup();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await call(base, method, method === 'POST' ? '/api/v1/namespaces/default/pods' : '/api/v1/namespaces/default/pods/x');
      expect(res.status).toBe(405);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', message: expect.stringMatching(/read-only cache/) });
    }
  });

  it('answers only loopback Host names', async () => {
    const { base } = await setup();
    expect((await call(base, 'GET', '/api/v1/pods', { Host: 'evil.example:80' })).status).toBe(403);
  });
});

describe('MetaServer access to secrets', () => {
  it('needs the token from the 0600 file: 403 without it, 401 with a wrong one', async () => {
    const { store, base, token, tokenFile } = await setup();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(token.length).toBeGreaterThanOrEqual(32);
    store.applyDownstream([{ kind: 'upsert', object: secret('s1') }]);
    const anonymous = await call(base, 'GET', '/api/v1/namespaces/default/secrets');
    expect(anonymous.status).toBe(403);
    expect(anonymous.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: expect.stringMatching(/system:anonymous.*metaserver\.token/) });
    expect((await call(base, 'GET', '/api/v1/namespaces/default/secrets/s')).status).toBe(403);
    expect((await call(base, 'GET', '/api/v1/secrets?watch=true')).status).toBe(403);
    const wrong = await call(base, 'GET', '/api/v1/namespaces/default/secrets', { Authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ reason: 'Unauthorized' });
    const allowed = await call(base, 'GET', '/api/v1/namespaces/default/secrets/s', { Authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(allowed.json()).toMatchObject({ kind: 'Secret', data: { k: 'dg==' } });
    // Pods need no credential.
    expect((await call(base, 'GET', '/api/v1/pods')).status).toBe(200);
  });
});

describe('MetaServer over TLS on the same port', () => {
  it('serves HTTPS with the edge-local CA, so clients that send tokens only over TLS can read secrets', async () => {
    const { store, server, token } = await setup();
    store.applyDownstream([{ kind: 'upsert', object: secret('s1') }]);
    const ca = readFileSync(server.caFile(), 'utf8');
    const get = (auth: string | undefined) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(new URL('/api/v1/namespaces/default/secrets', server.tlsUrl()), { ca, headers: auth === undefined ? {} : { Authorization: auth } }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    expect((await get(undefined)).status).toBe(403);
    const ok = await get(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ kind: 'SecretList', items: [{ metadata: { name: 's' } }] });
    // Plain HTTP still answers on the same port.
    expect((await call(server.url(), 'GET', '/api/v1/pods')).status).toBe(200);
  });
});

describe('MetaServer watch', () => {
  it('starts with synthetic ADDED for RV 0, then streams changes with edge revisions', async () => {
    const { store, base } = await setup();
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '100') }]);
    const w = openWatch(base, '/api/v1/namespaces/default/pods?watch=true');
    cleanup.push(() => w.close());
    await until(() => w.events.length === 1, 'synthetic ADDED');
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '50') }, { kind: 'upsert', object: pod('b', '7') }]);
    store.applyDownstream([{ kind: 'delete', uid: 'a', resourceVersion: '51' }]);
    await until(() => w.events.length === 4, 'three changes');
    expect(w.events.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`)).toEqual([
      'ADDED p-a@1', 'MODIFIED p-a@2', 'ADDED p-b@3', 'DELETED p-a@4',
    ]);
  });

  it('sends the response headers at once, even with nothing to report (informers wait for them)', async () => {
    const { base } = await setup();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/api/v1/pods?watch=true', base), (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('resumes from an event RV with only later events; a compacted RV gets 410', async () => {
    const { store, base } = await setup({ tombstoneLimit: 2 });
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '1') }, { kind: 'upsert', object: pod('b', '1') }, { kind: 'upsert', object: pod('c', '1') }]); // 1..3
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '2') }]); // 4
    store.applyDownstream([{ kind: 'delete', uid: 'b', resourceVersion: '3' }]); // 5
    store.applyDownstream([{ kind: 'upsert', object: pod('d', '1') }]); // 6
    const w = openWatch(base, '/api/v1/pods?watch=true&resourceVersion=3');
    cleanup.push(() => w.close());
    await until(() => w.events.length === 3, 'catch-up');
    expect(w.events.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`)).toEqual(['MODIFIED p-a@4', 'DELETED p-b@5', 'ADDED p-d@6']);
    store.applyDownstream([{ kind: 'upsert', object: pod('c', '2') }]); // 7
    await until(() => w.events.length === 4, 'live event');
    expect(w.events[3]).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'p-c', resourceVersion: '7' } } });

    // Two more deletions push tombstone 5 out: the compacted revision becomes 5.
    store.applyDownstream([{ kind: 'delete', uid: 'c', resourceVersion: '3' }, { kind: 'delete', uid: 'd', resourceVersion: '3' }]);
    expect(store.revisions.compacted()).toBe(5);
    const old = openWatch(base, '/api/v1/pods?watch=true&resourceVersion=3');
    await old.ended;
    expect(old.events).toMatchObject([{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }]);
    const future = openWatch(base, '/api/v1/pods?watch=true&resourceVersion=99');
    await future.ended;
    expect(future.events[0]?.object.code).toBe(410);
  });

  it('applies selectors to transitions, sends bookmarks, and ends after timeoutSeconds', async () => {
    const { store, base } = await setup({ bookmarkIntervalMs: 50 });
    const w = openWatch(base, '/api/v1/pods?watch=true&labelSelector=app%3Dweb&allowWatchBookmarks=true&timeoutSeconds=1');
    await until(() => w.events.some((e) => e.type === 'BOOKMARK'), 'a bookmark');
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '1', { labels: { app: 'db' } }) }]);
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '2', { labels: { app: 'web' } }) }]);
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '3', { labels: { app: 'db' } }) }]);
    await w.ended;
    const changes = w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type}@${e.object.metadata?.resourceVersion}`);
    expect(changes).toEqual(['ADDED@2', 'DELETED@3']);
    expect(w.events.find((e) => e.type === 'BOOKMARK')?.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
  });
});
