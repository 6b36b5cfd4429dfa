import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeStore } from '../metamanager/index.js';
import type { BrokerAccess, BrokerPrincipal } from '../mqttbroker/index.js';
import { createDeviceBrokerAccess } from './index.js';

const NODE = 'edge-a';
const AGENT = { username: 'outpost-edgecore', password: 'agent-secret-1234' };
const b64 = (text: string) => Buffer.from(text).toString('base64');
const pw = (text: string) => Buffer.from(text);
const topic = (ns: string, name: string, rest: string) => `$hw/events/device/${ns}/${name}/${rest}`;

let dir: string;
let store: EdgeStore;
let access: BrokerAccess;
let revision = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-mqttaccess-'));
  const opened = EdgeStore.open(join(dir, 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  store = opened.value;
  access = createDeviceBrokerAccess({ store, nodeName: NODE, agent: AGENT });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function upsert(object: Record<string, unknown> & { metadata: Record<string, unknown> }): void {
  revision += 1;
  const meta = object.metadata;
  const res = store.applyDownstream([{ kind: 'upsert', object: { ...object, metadata: { ...meta, uid: `uid-${String(meta.namespace)}-${String(meta.name)}-${String(object.kind)}`, resourceVersion: String(revision) } } as never }]);
  if (!res.ok) throw new Error(res.message);
}

function remove(kind: string, ns: string, name: string): void {
  revision += 1;
  const res = store.applyDownstream([{ kind: 'delete', uid: `uid-${ns}-${name}-${kind}`, resourceVersion: String(revision) }]);
  if (!res.ok) throw new Error(res.message);
}

function device(ns: string, name: string, options: { node?: string; secret?: string } = {}): void {
  upsert({
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device',
    metadata: { name, namespace: ns, ...(options.secret === undefined ? {} : { annotations: { 'devices.outpost.io/mqtt-secret': options.secret } }) },
    spec: { nodeName: options.node ?? NODE, deviceModelRef: { name: 'thermostat' }, properties: [] },
  });
}

function secret(ns: string, name: string, username: string, password: string, type = 'outpost.io/mqtt-credentials'): void {
  upsert({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type, data: { username: b64(username), password: b64(password) } });
}

/** A Device with its default-named Secret, as the cloud's DeviceController makes it. */
function defaultDevice(ns: string, name: string, password: string): void {
  device(ns, name);
  secret(ns, `${name}-mqtt`, `${ns}/${name}`, password);
}

function client(username: string, password: string): BrokerPrincipal {
  const principal = access.authenticate(username, pw(password));
  if (principal === undefined) throw new Error(`${username} was refused`);
  return principal;
}

describe('the agent', () => {
  it('logs in with its own username and password and may do anything', () => {
    const agent = access.authenticate(AGENT.username, pw(AGENT.password));
    expect(agent).toEqual({ kind: 'agent' });
    if (agent === undefined) return;
    expect(access.mayPublish(agent, topic('ns', 'any', 'twin/update/delta'))).toBe(true);
    expect(access.mayPublish(agent, '$hw/events/node/other-node/membership/updated')).toBe(true);
    expect(access.maySubscribe(agent, '#')).toBe(true);
    expect(access.maySubscribe(agent, '$hw/events/device/+/+/twin/+')).toBe(true);
  });

  it('is refused with a wrong, shorter, longer or missing password', () => {
    expect(access.authenticate(AGENT.username, pw('agent-secret-1235'))).toBeUndefined();
    expect(access.authenticate(AGENT.username, pw(AGENT.password.slice(0, -1)))).toBeUndefined();
    expect(access.authenticate(AGENT.username, pw(`${AGENT.password}x`))).toBeUndefined();
    expect(access.authenticate(AGENT.username, undefined)).toBeUndefined();
    expect(access.authenticate(undefined, pw(AGENT.password))).toBeUndefined();
  });

  it('may not publish to a topic holding wildcards (no client may)', () => {
    expect(access.mayPublish({ kind: 'agent' }, '$hw/events/device/+/d/twin/update')).toBe(false);
    expect(access.maySubscribe({ kind: 'agent' }, 'a/#/b')).toBe(false);
  });
});

describe('a device program', () => {
  beforeEach(() => {
    defaultDevice('factory', 'thermo-1', 'pw-thermo-1');
    defaultDevice('factory', 'thermo-2', 'pw-thermo-2');
  });

  it('logs in with its Secret and is named after it', () => {
    expect(access.authenticate('factory/thermo-1', pw('pw-thermo-1'))).toEqual({ kind: 'client', name: 'factory/thermo-1-mqtt' });
  });

  it('may publish and subscribe in its own device topic tree', () => {
    const me = client('factory/thermo-1', 'pw-thermo-1');
    for (const rest of ['twin/update', 'twin/get', 'state/update']) expect(access.mayPublish(me, topic('factory', 'thermo-1', rest))).toBe(true);
    for (const filter of ['twin/update/delta', 'twin/update/result', 'twin/get/result', 'twin/+/delta', '#', 'twin/#']) {
      expect(access.maySubscribe(me, topic('factory', 'thermo-1', filter)), filter).toBe(true);
    }
  });

  it("may neither publish to nor subscribe to another device's topics", () => {
    const me = client('factory/thermo-1', 'pw-thermo-1');
    expect(access.mayPublish(me, topic('factory', 'thermo-2', 'twin/update'))).toBe(false);
    expect(access.maySubscribe(me, topic('factory', 'thermo-2', 'twin/update/delta'))).toBe(false);
    expect(access.maySubscribe(me, topic('factory', 'thermo-2', '#'))).toBe(false);
  });

  it('may use no wildcard that could reach beyond its own devices', () => {
    const me = client('factory/thermo-1', 'pw-thermo-1');
    for (const filter of ['#', '+/#', '$hw/#', '$hw/events/device/#', '$hw/events/device/factory/#', '$hw/events/device/factory/+/twin/update/delta', '$hw/events/device/+/thermo-1/twin/update/delta', '+/events/device/factory/thermo-1/#', '$hw/events/device/factory/thermo-1+/#']) {
      expect(access.maySubscribe(me, filter), filter).toBe(false);
    }
  });

  it('may not publish anywhere else, nor to a wildcard topic of its own', () => {
    const me = client('factory/thermo-1', 'pw-thermo-1');
    expect(access.mayPublish(me, 'other/topic')).toBe(false);
    expect(access.mayPublish(me, '$hw/events/device/factory')).toBe(false);
    expect(access.mayPublish(me, '$hw/events/upload/thing')).toBe(false);
    expect(access.mayPublish(me, topic('factory', 'thermo-1', 'twin/+'))).toBe(false);
    expect(access.mayPublish(me, topic('factory', 'thermo-1', '#'))).toBe(false);
  });

  it("uses its own node's membership topics only, in their direction", () => {
    const me = client('factory/thermo-1', 'pw-thermo-1');
    const own = `$hw/events/node/${NODE}/membership`;
    expect(access.mayPublish(me, `${own}/get`)).toBe(true);
    expect(access.maySubscribe(me, `${own}/get/result`)).toBe(true);
    expect(access.maySubscribe(me, `${own}/updated`)).toBe(true);
    // The edge answers on result and announces on updated; nobody else may speak there.
    expect(access.mayPublish(me, `${own}/get/result`)).toBe(false);
    expect(access.mayPublish(me, `${own}/updated`)).toBe(false);
    expect(access.maySubscribe(me, `${own}/get`)).toBe(false);
    expect(access.maySubscribe(me, `${own}/+`)).toBe(false);
    expect(access.maySubscribe(me, `${own}/#`)).toBe(false);
    expect(access.mayPublish(me, '$hw/events/node/edge-b/membership/get')).toBe(false);
    expect(access.maySubscribe(me, '$hw/events/node/edge-b/membership/updated')).toBe(false);
    expect(access.maySubscribe(me, '$hw/events/node/+/membership/updated')).toBe(false);
  });
});

describe('a Secret shared by several Devices', () => {
  beforeEach(() => {
    device('factory', 'line-a', { secret: 'line-mapper' });
    device('factory', 'line-b', { secret: 'line-mapper' });
    defaultDevice('factory', 'solo', 'pw-solo');
    secret('factory', 'line-mapper', 'mapper', 'pw-mapper');
  });

  it('logs one mapper in for every Device naming it, and no further', () => {
    const mapper = client('mapper', 'pw-mapper');
    expect(mapper).toEqual({ kind: 'client', name: 'factory/line-mapper' });
    expect(access.mayPublish(mapper, topic('factory', 'line-a', 'twin/update'))).toBe(true);
    expect(access.mayPublish(mapper, topic('factory', 'line-b', 'twin/update'))).toBe(true);
    expect(access.maySubscribe(mapper, topic('factory', 'line-b', 'twin/update/delta'))).toBe(true);
    expect(access.mayPublish(mapper, topic('factory', 'solo', 'twin/update'))).toBe(false);
    expect(access.maySubscribe(mapper, '$hw/events/device/factory/+/twin/update/delta')).toBe(false);
  });

  it('extends to a Device that names it later, and drops one that stops naming it', () => {
    const mapper = client('mapper', 'pw-mapper');
    expect(access.mayPublish(mapper, topic('factory', 'line-c', 'twin/update'))).toBe(false);
    device('factory', 'line-c', { secret: 'line-mapper' });
    expect(access.mayPublish(mapper, topic('factory', 'line-c', 'twin/update'))).toBe(true);
    device('factory', 'line-a');
    expect(access.mayPublish(mapper, topic('factory', 'line-a', 'twin/update'))).toBe(false);
    remove('Device', 'factory', 'line-b');
    expect(access.mayPublish(mapper, topic('factory', 'line-b', 'twin/update'))).toBe(false);
    expect(access.mayPublish(mapper, topic('factory', 'line-c', 'twin/update'))).toBe(true);
  });

  it('does not reach a Device of the same name in another namespace', () => {
    device('other', 'line-a', { secret: 'line-mapper' });
    secret('other', 'line-mapper', 'other-mapper', 'pw-other');
    const mapper = client('mapper', 'pw-mapper');
    expect(access.mayPublish(mapper, topic('other', 'line-a', 'twin/update'))).toBe(false);
    const otherMapper = client('other-mapper', 'pw-other');
    expect(otherMapper).toEqual({ kind: 'client', name: 'other/line-mapper' });
    expect(access.mayPublish(otherMapper, topic('factory', 'line-a', 'twin/update'))).toBe(false);
    expect(access.mayPublish(otherMapper, topic('other', 'line-a', 'twin/update'))).toBe(true);
  });
});

describe('credentials', () => {
  it('applies a rotated password at once: the old one is refused, the new one accepted', () => {
    defaultDevice('factory', 'thermo-1', 'old-password');
    expect(access.authenticate('factory/thermo-1', pw('old-password'))).toBeDefined();
    secret('factory', 'thermo-1-mqtt', 'factory/thermo-1', 'new-password');
    expect(access.authenticate('factory/thermo-1', pw('old-password'))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', pw('new-password'))).toEqual({ kind: 'client', name: 'factory/thermo-1-mqtt' });
  });

  it('refuses an unknown user, a wrong password, and a password off by its length', () => {
    defaultDevice('factory', 'thermo-1', 'pw-thermo-1');
    expect(access.authenticate('factory/nobody', pw('pw-thermo-1'))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', pw('pw-thermo-2'))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', pw('pw-thermo-'))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', pw('pw-thermo-11'))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', pw(''))).toBeUndefined();
    expect(access.authenticate('factory/thermo-1', undefined)).toBeUndefined();
    expect(access.authenticate(undefined, undefined)).toBeUndefined();
    // The agent's password opens no device login and a device's no agent login.
    expect(access.authenticate('factory/thermo-1', pw(AGENT.password))).toBeUndefined();
    expect(access.authenticate(AGENT.username, pw('pw-thermo-1'))).toBeUndefined();
  });

  it('accepts only Secrets of the MQTT credentials type, with a username and a password', () => {
    device('factory', 'd-opaque', { secret: 'opaque' });
    secret('factory', 'opaque', 'opaque-user', 'pw-opaque', 'Opaque');
    device('factory', 'd-empty', { secret: 'empty' });
    secret('factory', 'empty', 'empty-user', '');
    device('factory', 'd-missing', { secret: 'never-sent' });
    expect(access.authenticate('opaque-user', pw('pw-opaque'))).toBeUndefined();
    expect(access.authenticate('empty-user', pw(''))).toBeUndefined();
    upsert({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'broken', namespace: 'factory' }, type: 'outpost.io/mqtt-credentials', data: { username: 'not base64!' } });
    device('factory', 'd-broken', { secret: 'broken' });
    expect(access.authenticate('not base64!', pw(''))).toBeUndefined();
  });

  it('ignores a Secret that only a Device of another node names', () => {
    device('factory', 'elsewhere', { node: 'edge-b' });
    secret('factory', 'elsewhere-mqtt', 'factory/elsewhere', 'pw-elsewhere');
    expect(access.authenticate('factory/elsewhere', pw('pw-elsewhere'))).toBeUndefined();
  });

  it('ignores a credentials Secret that no Device names', () => {
    secret('factory', 'stray-mqtt', 'factory/stray', 'pw-stray');
    expect(access.authenticate('factory/stray', pw('pw-stray'))).toBeUndefined();
  });

  it("takes a logged-in client's rights away once its Secret or its Device is gone", () => {
    defaultDevice('factory', 'thermo-1', 'pw-thermo-1');
    defaultDevice('factory', 'thermo-2', 'pw-thermo-2');
    const one = client('factory/thermo-1', 'pw-thermo-1');
    const two = client('factory/thermo-2', 'pw-thermo-2');
    remove('Secret', 'factory', 'thermo-1-mqtt');
    expect(access.mayPublish(one, topic('factory', 'thermo-1', 'twin/update'))).toBe(false);
    expect(access.maySubscribe(one, topic('factory', 'thermo-1', 'twin/update/delta'))).toBe(false);
    remove('Device', 'factory', 'thermo-2');
    expect(access.mayPublish(two, topic('factory', 'thermo-2', 'twin/update'))).toBe(false);
  });

  it('grants nothing to a principal name it never gave out', () => {
    defaultDevice('factory', 'thermo-1', 'pw-thermo-1');
    for (const name of ['', 'factory', '/thermo-1-mqtt', 'factory/', 'other/thermo-1-mqtt']) {
      expect(access.mayPublish({ kind: 'client', name }, topic('factory', 'thermo-1', 'twin/update')), name).toBe(false);
    }
  });
});
