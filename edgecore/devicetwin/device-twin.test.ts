import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { EdgeStore } from '../metamanager/index.js';
import { createDeviceTwin, type DeviceTwin, type TwinMessage } from './index.js';

const NODE = 'edge-1';
const PREFIX = '$hw/events/device/default/thermo';
let rv = 1;

function model(properties = [{ name: 'temperature', type: 'FLOAT' }, { name: 'target', type: 'FLOAT' }]) {
  return { apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'thermostat', namespace: 'default', uid: 'model-uid', resourceVersion: String(rv++) }, spec: { properties } };
}

function device(desired: Record<string, string> = {}, nodeName = NODE, extra: { name: string }[] = []) {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1',
    kind: 'Device',
    metadata: { name: 'thermo', namespace: 'default', uid: 'dev-uid', resourceVersion: String(rv++) },
    spec: {
      nodeName,
      deviceModelRef: { name: 'thermostat' },
      properties: [...Object.entries(desired).map(([name, value]) => ({ name, desired: { value, metadata: { type: 'float' } } })), ...extra],
    },
  };
}

interface Harness {
  store: EdgeStore;
  twin: DeviceTwin;
  broadcasts: TwinMessage[];
  send(suffix: string, body: unknown): TwinMessage[];
  upsert(...objects: unknown[]): void;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.twin.stop();
    h.store.close();
  }
});

async function start(objects: unknown[] = [model(), device({ target: '21' })]): Promise<Harness> {
  const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-twin-')), 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  const store = opened.value;
  const broadcasts: TwinMessage[] = [];
  const twin = createDeviceTwin({ store, nodeName: NODE, logger: silentLogger(), broadcast: (m) => broadcasts.push(...m) });
  const upsert = (...objs: unknown[]) => {
    const res = store.applyDownstream(objs.map((object) => ({ kind: 'upsert' as const, object: object as never })));
    if (!res.ok) throw new Error(res.message);
  };
  upsert(...objects);
  await twin.start(new AbortController().signal);
  const h: Harness = {
    store,
    twin,
    broadcasts,
    upsert,
    send: (suffix, body) => twin.handleMessage(`${PREFIX}/${suffix}`, Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))),
  };
  open.push(h);
  return h;
}

const bodyOf = (messages: TwinMessage[], suffix: string) => messages.find((m) => m.topic.endsWith(suffix))?.body;
const statusRow = (store: EdgeStore) => store.outbox.pending(100).find((r) => r.key === 'deviceStatus/default/thermo');

describe('DeviceTwin: twin/update', () => {
  it('applies a reported value, bumps the version, answers with the updated property and queues deviceStatus', async () => {
    const h = await start();
    const replies = h.send('twin/update', { event_id: 'e1', twin: { temperature: { actual: { value: '20.5' } } } });
    expect(replies).toHaveLength(1);
    expect(replies[0]?.topic).toBe(`${PREFIX}/twin/update/result`);
    expect(replies[0]?.body).toMatchObject({ event_id: 'e1', twin: { temperature: { actual: { value: '20.5' }, version: 1, metadata: { type: 'FLOAT' } } } });
    expect(Object.keys((replies[0]?.body.twin ?? {}) as object)).toEqual(['temperature']);
    const again = h.send('twin/update', { twin: { temperature: { actual: { value: '20.7' } } } });
    expect(again[0]?.body).toMatchObject({ twin: { temperature: { version: 2 } } });
    const row = statusRow(h.store);
    expect(row?.kind).toBe('deviceStatus');
    expect(row?.payload).toMatchObject({ namespace: 'default', name: 'thermo', uid: 'dev-uid' });
    expect(row?.payload.twins).toEqual(expect.arrayContaining([{ propertyName: 'temperature', reported: { value: '20.7', metadata: expect.objectContaining({ type: 'FLOAT' }) } }]));
  });

  it('coalesces snapshots: one outbox row per device, holding the newest values', async () => {
    const h = await start();
    for (const v of ['1', '2', '3']) h.send('twin/update', { twin: { temperature: { actual: { value: v } } } });
    const rows = h.store.outbox.pending(100).filter((r) => r.kind === 'deviceStatus');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload.twins).toEqual(expect.arrayContaining([expect.objectContaining({ propertyName: 'temperature', reported: expect.objectContaining({ value: '3' }) })]));
  });

  it('refuses a stale version with 409 and applies nothing of the update', async () => {
    const h = await start();
    h.send('twin/update', { twin: { temperature: { actual: { value: '1' } } } });
    const refused = h.send('twin/update', { event_id: 'e9', twin: { temperature: { actual: { value: '2' }, version: 1 }, target: { actual: { value: '5' }, version: 7 } } });
    expect(refused[0]?.body).toMatchObject({ event_id: 'e9', code: 409 });
    const got = h.send('twin/get', { event_id: 'g' });
    expect(got[0]?.body).toMatchObject({ twin: { temperature: { actual: { value: '1' }, version: 1 }, target: { expected: { value: '21' }, version: 1 } } });
    expect((got[0]?.body.twin as Record<string, { actual?: unknown }>).target?.actual).toBeUndefined();
    const accepted = h.send('twin/update', { twin: { temperature: { actual: { value: '2' }, version: 1 } } });
    expect(accepted[0]?.body).toMatchObject({ twin: { temperature: { actual: { value: '2' }, version: 2 } } });
  });

  it('treats a property the edge does not hold yet as version 0', async () => {
    const h = await start();
    expect(h.send('twin/update', { twin: { temperature: { actual: { value: '1' }, version: 1 } } })[0]?.body).toMatchObject({ code: 409 });
    expect(h.send('twin/update', { twin: { temperature: { actual: { value: '1' }, version: 0 } } })[0]?.body).toMatchObject({ twin: { temperature: { version: 1 } } });
  });

  it.each([
    ['not JSON', Buffer.from('{nope')],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
    ['an array', [1, 2]],
    ['twin of the wrong type', { twin: 'x' }],
    ['a number value', { twin: { temperature: { actual: { value: 20 } } } }],
    ['no property', { twin: {} }],
    ['an undeclared property', { twin: { humidity: { actual: { value: '1' } } } }],
    ['a key over 128 bytes', { twin: { ['k'.repeat(129)]: { actual: { value: '1' } } } }],
    ['a value over 512 bytes', { twin: { temperature: { actual: { value: 'é'.repeat(257) } } } }],
    ['a negative version', { twin: { temperature: { actual: { value: '1' }, version: -1 } } }],
    ['an oversized payload', Buffer.alloc(70_000, 0x20)],
  ])('answers 400 with a reason for %s', async (_what, body) => {
    const h = await start();
    const queued = statusRow(h.store)?.seq;
    const replies = h.send('twin/update', body);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatchObject({ code: 400, reason: expect.any(String), timestamp: expect.any(Number), event_id: expect.any(String) });
    expect(statusRow(h.store)?.seq).toBe(queued);
  });

  it('answers 404 for a device that is not on this node, and for one it does not hold', async () => {
    const h = await start([model(), device({}, 'other-node')]);
    expect(h.send('twin/update', { twin: { temperature: { actual: { value: '1' } } } })[0]?.body).toMatchObject({ code: 404 });
    expect(h.twin.handleMessage('$hw/events/device/default/ghost/twin/get', Buffer.from('{}'))[0]?.body).toMatchObject({ code: 404 });
    expect(h.twin.handleMessage('$hw/events/device/default/ghost/state/update', Buffer.from('{"state":"online"}'))[0]?.body).toMatchObject({ code: 404 });
  });

  it('publishes a delta only when a changed property has expected ≠ actual, and a document after every change', async () => {
    const h = await start();
    const initialDelta = h.broadcasts.find((m) => m.topic.endsWith('twin/update/delta'));
    expect(initialDelta?.body).toMatchObject({ delta: { target: '21' } });
    h.broadcasts.length = 0;
    h.send('twin/update', { twin: { temperature: { actual: { value: '19' } } } });
    expect(bodyOf(h.broadcasts, 'twin/update/delta')).toBeUndefined();
    expect(bodyOf(h.broadcasts, 'twin/update/document')).toMatchObject({ twin: { temperature: { last: null, current: { actual: { value: '19' }, version: 1 } } } });
    h.broadcasts.length = 0;
    h.send('twin/update', { twin: { target: { actual: { value: '21' } } } });
    expect(bodyOf(h.broadcasts, 'twin/update/delta')).toBeUndefined();
    h.broadcasts.length = 0;
    h.send('twin/update', { twin: { target: { expected: { value: '22' } } } });
    expect(bodyOf(h.broadcasts, 'twin/update/delta')).toMatchObject({ delta: { target: '22' }, twin: { target: { expected: { value: '22' }, actual: { value: '21' } } } });
    h.broadcasts.length = 0;
    h.send('twin/update', { twin: { target: { actual: { value: '21' } } } });
    expect(h.broadcasts).toEqual([]);
  });
});

describe('DeviceTwin: the cloud side', () => {
  it('takes the cloud desired value as expected whenever the Device changes (cloud wins desired), leaving actual to the device', async () => {
    const h = await start();
    h.send('twin/update', { twin: { target: { expected: { value: '30' }, actual: { value: '30' } } } });
    h.broadcasts.length = 0;
    h.upsert(device({ target: '18' }));
    expect(bodyOf(h.broadcasts, 'twin/update/delta')).toMatchObject({ delta: { target: '18' } });
    const got = h.send('twin/get', {})[0]?.body;
    expect(got).toMatchObject({ twin: { target: { expected: { value: '18' }, actual: { value: '30' }, version: 3 } } });
    expect(statusRow(h.store)?.payload.twins).toEqual([
      { propertyName: 'target', reported: expect.objectContaining({ value: '30' }), observedDesired: expect.objectContaining({ value: '18' }) },
    ]);
  });

  it('does not touch a twin when the Device changes without a new desired value', async () => {
    const h = await start();
    h.broadcasts.length = 0;
    h.upsert(device({ target: '21' }));
    expect(h.broadcasts).toEqual([]);
    expect(h.send('twin/get', {})[0]?.body).toMatchObject({ twin: { target: { version: 1 } } });
  });

  it('announces devices added to and removed from the node, and forgets the twins of a removed one', async () => {
    const h = await start([model()]);
    h.upsert(device({ target: '20' }));
    expect(bodyOf(h.broadcasts, 'membership/updated')).toMatchObject({ added_devices: [{ id: 'default/thermo', name: 'thermo', namespace: 'default', model: 'thermostat', twin: { target: { expected: { value: '20' } } } }], removed_devices: [] });
    const members = h.twin.handleMessage(`$hw/events/node/${NODE}/membership/get`, Buffer.from('{"event_id":"m"}'));
    expect(members[0]?.topic).toBe(`$hw/events/node/${NODE}/membership/get/result`);
    expect(members[0]?.body).toMatchObject({ event_id: 'm', devices: [{ id: 'default/thermo' }] });
    h.broadcasts.length = 0;
    h.store.applyDownstream([{ kind: 'delete', uid: 'dev-uid', resourceVersion: String(rv++) }]);
    expect(bodyOf(h.broadcasts, 'membership/updated')).toMatchObject({ added_devices: [], removed_devices: [{ id: 'default/thermo' }] });
    h.upsert(device({}));
    expect(h.send('twin/get', {})[0]?.body).toMatchObject({ twin: {} });
  });

  it('answers no membership request for another node', async () => {
    const h = await start();
    expect(h.twin.handleMessage('$hw/events/node/other/membership/get', Buffer.from('{}'))).toEqual([]);
  });

  it('state/update sets the state and lastOnlineTime and reports them up', async () => {
    const h = await start();
    const replies = h.send('state/update', { event_id: 's', state: 'online' });
    expect(replies[0]?.topic).toBe(`${PREFIX}/state/update/result`);
    expect(replies[0]?.body).toMatchObject({ event_id: 's', state: 'online', lastOnlineTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    expect(statusRow(h.store)?.payload).toMatchObject({ state: 'online', lastOnlineTime: expect.any(String) });
    expect(h.send('state/update', { state: 'sleepy' })[0]?.body).toMatchObject({ code: 400 });
  });

  it('keeps twins across a restart and reconciles what changed while it was stopped', async () => {
    const h = await start();
    h.send('twin/update', { twin: { temperature: { actual: { value: '7' } } } });
    await h.twin.stop();
    h.upsert(device({ target: '25' }));
    const again = createDeviceTwin({ store: h.store, nodeName: NODE, logger: silentLogger(), broadcast: () => {} });
    await again.start(new AbortController().signal);
    const got = again.handleMessage(`${PREFIX}/twin/get`, Buffer.from('{}'))[0]?.body;
    expect(got).toMatchObject({ twin: { temperature: { actual: { value: '7' }, version: 1 }, target: { expected: { value: '25' }, version: 2 } } });
    await again.stop();
  });
});

describe('DeviceTwin: failures', () => {
  it('answers 500 when edge.db holds a row it cannot read, and keeps going', async () => {
    const h = await start();
    h.store.db.prepare("UPDATE device_twins SET version = -5").run();
    const replies = h.send('twin/get', { event_id: 'x' });
    expect(replies[0]?.topic).toBe(`${PREFIX}/twin/get/result`);
    expect(replies[0]?.body).toMatchObject({ code: 500, reason: expect.stringContaining('device_twins') });
    expect(h.twin.counters()).toMatchObject({ refused: 1 });
  });
});

describe('DeviceTwin: garbage', () => {
  it('never throws, whatever arrives on whatever topic', async () => {
    const h = await start();
    const topics = ['twin/update', 'twin/get', 'state/update', 'twin/unknown', 'nonsense'].map((s) => `${PREFIX}/${s}`);
    topics.push(`$hw/events/node/${NODE}/membership/get`, '$hw/events/device//x/twin/update', '$hw/events/node//membership/get', '');
    const payloads = [Buffer.alloc(0), Buffer.from('null'), Buffer.from('"x"'), Buffer.from('[]'), Buffer.from([0xc3, 0x28]), Buffer.alloc(100_000, 0x7b), Buffer.from('{"event_id":5,"twin":null}'),
      Buffer.from('{"__proto__":{"x":1},"twin":{"__proto__":{"actual":{"value":"1"}}}}'), Buffer.from('{"twin":{"temperature":{"actual":null}}}'), Buffer.from('{"state":["online"]}')];
    for (const topic of topics) for (const payload of payloads) expect(() => h.twin.handleMessage(topic, payload)).not.toThrow();
    expect(h.send('twin/get', {})[0]?.body).toMatchObject({ twin: { target: { expected: { value: '21' } } } });
  });
});
