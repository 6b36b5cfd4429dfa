/**
 * Device twins over MQTT, end to end (issue 13): real cloudcore, edgecore, kubectl, and the real
 * mosquitto_pub / mosquitto_sub against the edge's embedded broker (`internal`) or a real
 * mosquitto (`external`); both modes run the same cases (docs/kubeedge-compat.md § MQTT topics,
 * § Payloads; docs/mqtt-access.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, deviceYaml, MQTT_MODES, startDeviceSetup, startThermostatMapper, STEP_MS, type DeviceSetup, type MqttMode } from '../helpers/devices-e2e.js';
import { mosquittoPub, mosquittoSub, type MqttLogin, type ReceivedMessage } from '../helpers/mosquitto.js';

const NS = 'plant';
const TEST_MS = 90_000;

type Json = Record<string, unknown> & { event_id?: string; code?: number; twin?: Record<string, TwinJson>; delta?: Record<string, string> };
interface TwinJson {
  actual?: { value: string };
  expected?: { value: string };
  version?: number;
}
/** A received payload as JSON, or undefined when it is not (the edge answers JSON only). */
function json(message: ReceivedMessage): Json | undefined {
  try {
    const value: unknown = JSON.parse(message.payload);
    return typeof value === 'object' && value !== null ? (value as Json) : undefined;
  } catch {
    return undefined; // a test predicate treats a non-JSON message as "not this one"
  }
}

const twinDevice = (name: string, node: string) =>
  deviceYaml({
    namespace: NS, name, model: `${name}-model`, node,
    properties: [{ name: 'temperature', type: 'FLOAT' }, { name: 'setpoint', type: 'FLOAT', desired: '21' }],
  });

describe.each(MQTT_MODES)('device twins in %s mode', (mode: MqttMode) => {
  let setup: DeviceSetup;
  let url: string;
  /** A device whose login the membership subscriber uses (internal mode needs one). */
  let controlLogin: MqttLogin;

  beforeAll(async () => {
    setup = await startDeviceSetup(mode, { namespace: NS });
    url = setup.brokerUrl();
    await setup.kubectl.ok(['apply', '-f', '-'], { stdin: twinDevice('control', setup.node) });
    controlLogin = await setup.login(NS, 'control');
  });

  afterAll(async () => {
    await setup?.stop();
  });

  it('applies a KubeEdge v1beta1 DeviceModel and Device unchanged; the device reaches edge.db, MetaServer and membership/updated', async () => {
    const membership = mosquittoSub(url, [`$hw/events/node/${setup.node}/membership/updated`], controlLogin);
    try {
      expect(await membership.subscribed).toEqual([1]);
      const applied = await setup.kubectl.ok(['apply', '-f', '-'], { stdin: twinDevice('thermo-a', setup.node) });
      expect(applied).toContain('device.devices.kubeedge.io/thermo-a created');
      await setup.waitEdgeRow('Device', NS, 'thermo-a');
      await setup.waitEdgeRow('DeviceModel', NS, 'thermo-a-model');
      const served = JSON.parse(await setup.metaKubectl().ok(['get', 'devices.devices.kubeedge.io', 'thermo-a', '-n', NS, '-o', 'json'])) as { spec: { nodeName: string; deviceModelRef: { name: string } } };
      expect(served.spec).toMatchObject({ nodeName: setup.node, deviceModelRef: { name: 'thermo-a-model' } });
      const added = await membership.waitFor((m) => (json(m)?.added_devices as Array<{ id?: string }> | undefined)?.some((d) => d.id === `${NS}/thermo-a`) === true, STEP_MS, 'membership/updated adding plant/thermo-a');
      const device = (json(added)?.added_devices as Array<Record<string, unknown>>).find((d) => d.id === `${NS}/thermo-a`);
      expect(device).toMatchObject({ id: `${NS}/thermo-a`, name: 'thermo-a', namespace: NS });
    } finally {
      await membership.stop();
    }
  }, TEST_MS);

  it('takes an actual value from mosquitto_pub: twin/update/result and twin/update/document answer, and DeviceStatus shows it', async () => {
    const login = await setup.login(NS, 'thermo-a');
    const results = mosquittoSub(url, [deviceTopic(NS, 'thermo-a', 'twin/update/result'), deviceTopic(NS, 'thermo-a', 'twin/update/document')], login);
    try {
      expect(await results.subscribed).toEqual([1, 1]);
      const update = { event_id: 'actual-1', timestamp: Date.now(), twin: { temperature: { actual: { value: '23.5' } } } };
      expect((await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'twin/update'), JSON.stringify(update), login)).code).toBe(0);
      const result = await results.waitFor((m) => m.topic.endsWith('/result') && json(m)?.event_id === 'actual-1', STEP_MS, 'the twin/update/result of actual-1');
      const answer = json(result);
      expect(answer).not.toHaveProperty('code');
      expect(answer?.twin?.temperature).toMatchObject({ actual: { value: '23.5' }, version: expect.any(Number) });
      const document = await results.waitFor((m) => m.topic.endsWith('/document') && (json(m)?.twin?.temperature as { current?: TwinJson } | undefined)?.current?.actual?.value === '23.5', STEP_MS, 'a twin/update/document with temperature 23.5');
      expect(json(document)?.twin?.temperature).toHaveProperty('last');
      const status = await setup.waitReported(NS, 'thermo-a', { temperature: '23.5' });
      expect(status.metadata.ownerReferences).toContainEqual(expect.objectContaining({ kind: 'Device', name: 'thermo-a' }));
    } finally {
      await results.stop();
    }
  }, TEST_MS);

  it('sends twin/update/delta to a mosquitto_sub when kubectl patches the desired value', async () => {
    const login = await setup.login(NS, 'thermo-a');
    const deltas = mosquittoSub(url, [deviceTopic(NS, 'thermo-a', 'twin/update/delta')], login);
    try {
      expect(await deltas.subscribed).toEqual([1]);
      await setup.patchDesired(NS, 'thermo-a', 'setpoint', '26');
      const delta = await deltas.waitFor((m) => json(m)?.delta?.setpoint === '26', STEP_MS, 'a delta with setpoint 26');
      expect(json(delta)?.twin?.setpoint).toMatchObject({ expected: { value: '26' } });
    } finally {
      await deltas.stop();
    }
  }, TEST_MS);

  it('answers a stale version with 409 and applies nothing of that update; the current version succeeds', async () => {
    const login = await setup.login(NS, 'thermo-a');
    const answers = mosquittoSub(url, [deviceTopic(NS, 'thermo-a', 'twin/update/result'), deviceTopic(NS, 'thermo-a', 'twin/get/result')], login);
    try {
      expect(await answers.subscribed).toEqual([1, 1]);
      const get = async (eventId: string): Promise<Record<string, TwinJson>> => {
        await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'twin/get'), JSON.stringify({ event_id: eventId }), login);
        const got = await answers.waitFor((m) => m.topic.endsWith('/get/result') && json(m)?.event_id === eventId, STEP_MS, `twin/get/result ${eventId}`);
        return json(got)?.twin ?? {};
      };
      const before = await get('get-before');
      const version = before.temperature?.version;
      expect(version).toEqual(expect.any(Number));
      const stale = { event_id: 'stale-1', twin: { temperature: { actual: { value: '99' }, version: (version ?? 0) - 1 }, setpoint: { actual: { value: '30' } } } };
      await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'twin/update'), JSON.stringify(stale), login);
      const refused = await answers.waitFor((m) => json(m)?.event_id === 'stale-1', STEP_MS, 'the result of stale-1');
      expect(json(refused)).toMatchObject({ event_id: 'stale-1', code: 409 });
      const after = await get('get-after');
      expect(after.temperature).toMatchObject({ actual: before.temperature?.actual, version });
      expect(after.setpoint?.actual).toEqual(before.setpoint?.actual);
      const current = { event_id: 'current-1', twin: { temperature: { actual: { value: '24' }, version } } };
      await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'twin/update'), JSON.stringify(current), login);
      const accepted = await answers.waitFor((m) => json(m)?.event_id === 'current-1', STEP_MS, 'the result of current-1');
      expect(json(accepted)).not.toHaveProperty('code');
      expect(json(accepted)?.twin?.temperature).toMatchObject({ actual: { value: '24' }, version: (version ?? 0) + 1 });
    } finally {
      await answers.stop();
    }
  }, TEST_MS);

  it('answers a bad payload with 400: not JSON, the wrong shape, an undeclared property, a key or a value too long', async () => {
    const login = await setup.login(NS, 'thermo-a');
    const results = mosquittoSub(url, [deviceTopic(NS, 'thermo-a', 'twin/update/result')], login);
    try {
      expect(await results.subscribed).toEqual([1]);
      const bad: Array<[string, string]> = [
        ['not JSON', '{"twin": {"temperature": '],
        ['the wrong shape', JSON.stringify({ event_id: 'bad-shape', twin: 'hot' })],
        ['an undeclared property', JSON.stringify({ event_id: 'bad-undeclared', twin: { humidity: { actual: { value: '40' } } } })],
        ['a key over 128 bytes', JSON.stringify({ event_id: 'bad-key', twin: { ['k'.repeat(129)]: { actual: { value: '1' } } } })],
        ['a value over 512 bytes', JSON.stringify({ event_id: 'bad-value', twin: { temperature: { actual: { value: '9'.repeat(513) } } } })],
      ];
      for (const [what, payload] of bad) {
        const seen = results.messages().length;
        await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'twin/update'), payload, login);
        const answer = await results.waitFor((m) => results.messages().indexOf(m) >= seen, STEP_MS, `the answer to ${what}`);
        expect(json(answer), what).toMatchObject({ code: 400, reason: expect.any(String) });
      }
    } finally {
      await results.stop();
    }
  }, TEST_MS);

  it(mode === 'external' ? 'answers a device that is not on this node with 404' : 'keeps a device that is not on this node out at the broker (the 404 case cannot arise)', async () => {
    const ghost = deviceTopic(NS, 'ghost', 'twin/update');
    if (mode === 'external') {
      const results = mosquittoSub(url, [`${ghost}/result`]);
      try {
        expect(await results.subscribed).toEqual([1]);
        await mosquittoPub(url, ghost, JSON.stringify({ event_id: 'ghost-1', twin: { temperature: { actual: { value: '1' } } } }));
        const answer = await results.waitFor((m) => json(m)?.event_id === 'ghost-1', STEP_MS, 'the answer for plant/ghost');
        expect(json(answer)).toMatchObject({ event_id: 'ghost-1', code: 404 });
      } finally {
        await results.stop();
      }
      return;
    }
    // In internal mode only Devices of this node have credentials and topics (docs/mqtt-access.md).
    const results = mosquittoSub(url, [`${ghost}/result`], controlLogin);
    try {
      expect(await results.subscribed).toEqual([128]);
    } finally {
      await results.stop();
    }
    const pub = await mosquittoPub(url, ghost, JSON.stringify({ event_id: 'ghost-1', twin: {} }), controlLogin);
    expect(pub.code).not.toBe(0);
  }, TEST_MS);

  it('sets the device state with state/update', async () => {
    const login = await setup.login(NS, 'thermo-a');
    const results = mosquittoSub(url, [deviceTopic(NS, 'thermo-a', 'state/update/result')], login);
    try {
      expect(await results.subscribed).toEqual([1]);
      await mosquittoPub(url, deviceTopic(NS, 'thermo-a', 'state/update'), JSON.stringify({ event_id: 'state-1', timestamp: Date.now(), state: 'online' }), login);
      const answer = await results.waitFor((m) => json(m)?.event_id === 'state-1', STEP_MS, 'the state/update/result of state-1');
      expect(json(answer)).not.toHaveProperty('code');
      await expect.poll(async () => (await setup.deviceStatus(NS, 'thermo-a'))?.status, { timeout: STEP_MS, interval: 250 }).toMatchObject({ state: 'online', lastOnlineTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      await results.stop();
    }
  }, TEST_MS);

  it('runs the example thermostat mapper: it reports, and applies a desired set-point patched with kubectl', async () => {
    await setup.kubectl.ok(['apply', '-f', '-'], { stdin: twinDevice('thermo-m', setup.node) });
    const login = await setup.login(NS, 'thermo-m');
    const mapper = startThermostatMapper(url, `${NS}/thermo-m`, login);
    try {
      await setup.waitReported(NS, 'thermo-m', { setpoint: '21' });
      await setup.patchDesired(NS, 'thermo-m', 'setpoint', '24');
      await mapper.waitForLine(/applied desired setpoint=24 /);
      const status = await setup.waitReported(NS, 'thermo-m', { setpoint: '24' });
      expect(status.status?.twins?.find((t) => t.propertyName === 'setpoint')?.observedDesired?.value).toBe('24');
      expect(status.status?.twins?.find((t) => t.propertyName === 'temperature')?.reported?.value).toMatch(/^\d+\.\d$/);
    } finally {
      await mapper.stop();
    }
  }, TEST_MS);
});
