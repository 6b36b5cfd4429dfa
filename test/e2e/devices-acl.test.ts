/**
 * The embedded broker's access control (issue 13, internal mode; docs/mqtt-access.md), with the
 * real mosquitto_pub / mosquitto_sub: a client without credentials, with a wrong password or with
 * another device's credentials can neither publish to a device's twin topics nor read its deltas;
 * the credentials come from the Device's Secret with docs/devices.md's kubectl one-liner; and the
 * broker listens on loopback only.
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, deviceYaml, startDeviceSetup, STEP_MS, type DeviceSetup } from '../helpers/devices-e2e.js';
import { mosquittoPub, mosquittoSub, type MqttLogin } from '../helpers/mosquitto.js';

const NS = 'acl';
const TEST_MS = 90_000;

let setup: DeviceSetup;
let url: string;
let alpha: MqttLogin;
let beta: MqttLogin;

const twinDevice = (name: string, node: string, annotations?: Record<string, string>) =>
  deviceYaml({
    namespace: NS, name, model: 'acl-model', node,
    properties: [{ name: 'temperature', type: 'FLOAT' }, { name: 'setpoint', type: 'FLOAT', desired: '20' }],
    ...(annotations === undefined ? {} : { annotations }),
  });

/** The twin/get result of a device, read with its own credentials: what the edge holds. */
async function actualTemperature(device: string, login: MqttLogin): Promise<string | undefined> {
  const answers = mosquittoSub(url, [deviceTopic(NS, device, 'twin/get/result')], login);
  try {
    expect(await answers.subscribed).toEqual([1]);
    const eventId = `get-${Math.random().toString(36).slice(2)}`;
    await mosquittoPub(url, deviceTopic(NS, device, 'twin/get'), JSON.stringify({ event_id: eventId }), login);
    const got = await answers.waitFor((m) => m.payload.includes(eventId), STEP_MS, `twin/get/result of ${device}`);
    return (JSON.parse(got.payload) as { twin?: { temperature?: { actual?: { value?: string } } } }).twin?.temperature?.actual?.value;
  } finally {
    await answers.stop();
  }
}

beforeAll(async () => {
  setup = await startDeviceSetup('internal', { namespace: NS });
  url = setup.brokerUrl();
  await setup.kubectl.ok(['apply', '-f', '-'], { stdin: `${twinDevice('alpha', setup.node)}---\n${twinDevice('beta', setup.node)}` });
  alpha = await setup.login(NS, 'alpha');
  beta = await setup.login(NS, 'beta');
  // Both devices start from a known actual value, set with their own credentials.
  for (const [device, login] of [['alpha', alpha], ['beta', beta]] as const) {
    const pub = await mosquittoPub(url, deviceTopic(NS, device, 'twin/update'), JSON.stringify({ event_id: `init-${device}`, twin: { temperature: { actual: { value: '10' } } } }), login);
    expect(pub.code, pub.stderr).toBe(0);
  }
  await setup.waitReported(NS, 'alpha', { temperature: '10' });
}, 180_000);

afterAll(async () => {
  await setup?.stop();
});

describe('the embedded broker (internal mode)', () => {
  it("gives each device its own credentials in its Secret, readable with kubectl's go-template one-liner", () => {
    expect(alpha.username).toBe(`${NS}/alpha`);
    expect(beta.username).toBe(`${NS}/beta`);
    expect(alpha.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(alpha.password).not.toBe(beta.password);
  });

  it('refuses a client without credentials, or with a wrong password, at connect', async () => {
    const anonymous = await mosquittoPub(url, deviceTopic(NS, 'alpha', 'twin/update'), JSON.stringify({ twin: { temperature: { actual: { value: '66' } } } }));
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toMatch(/not authori[sz]ed|refused/i);
    const wrong = await mosquittoPub(url, deviceTopic(NS, 'alpha', 'twin/update'), JSON.stringify({ twin: { temperature: { actual: { value: '66' } } } }), { username: alpha.username ?? '', password: `${alpha.password ?? ''}x` });
    expect(wrong.code).not.toBe(0);
    const sub = mosquittoSub(url, [deviceTopic(NS, 'alpha', 'twin/update/delta')]);
    expect(await sub.subscribed).toBeUndefined();
    const ended = await sub.done;
    expect(ended.code).not.toBe(0);
    expect(await actualTemperature('alpha', alpha)).toBe('10');
  }, TEST_MS);

  it("keeps a device program out of another device's twin topics", async () => {
    const pub = await mosquittoPub(url, deviceTopic(NS, 'alpha', 'twin/update'), JSON.stringify({ event_id: 'intruder', twin: { temperature: { actual: { value: '77' } } } }), beta);
    expect(pub.code).not.toBe(0);
    expect(await actualTemperature('alpha', alpha)).toBe('10');
    // Beta's own topics still work for beta.
    const own = await mosquittoPub(url, deviceTopic(NS, 'beta', 'twin/update'), JSON.stringify({ event_id: 'own', twin: { temperature: { actual: { value: '12' } } } }), beta);
    expect(own.code, own.stderr).toBe(0);
    await setup.waitReported(NS, 'beta', { temperature: '12' });
  }, TEST_MS);

  it("does not let a device program read another device's deltas, directly or through a wildcard", async () => {
    const alphaDeltas = mosquittoSub(url, [deviceTopic(NS, 'alpha', 'twin/update/delta')], alpha);
    const spyDirect = mosquittoSub(url, [deviceTopic(NS, 'alpha', 'twin/update/delta'), deviceTopic(NS, 'beta', 'twin/update/delta')], beta);
    const spyWildcard = mosquittoSub(url, [`$hw/events/device/${NS}/+/twin/update/delta`], beta);
    const spyEverything = mosquittoSub(url, ['#'], beta);
    try {
      expect(await alphaDeltas.subscribed).toEqual([1]);
      // Refused filters get 0x80 in the SUBACK; beta's own delta filter is granted.
      expect(await spyDirect.subscribed).toEqual([128, 1]);
      expect(await spyWildcard.subscribed).toEqual([128]);
      expect(await spyEverything.subscribed).toEqual([128]);
      await setup.patchDesired(NS, 'alpha', 'setpoint', '23');
      await alphaDeltas.waitFor((m) => m.payload.includes('"23"'), STEP_MS, "alpha's delta with setpoint 23");
      // A later delta for beta reaches the spy on the same connection, after alpha's would have.
      await setup.patchDesired(NS, 'beta', 'setpoint', '24');
      await spyDirect.waitFor((m) => m.topic === deviceTopic(NS, 'beta', 'twin/update/delta') && m.payload.includes('"24"'), STEP_MS, "beta's own delta");
      expect(spyDirect.messages().filter((m) => m.topic.includes('/alpha/'))).toEqual([]);
      expect(spyWildcard.messages()).toEqual([]);
      expect(spyEverything.messages()).toEqual([]);
    } finally {
      await Promise.all([alphaDeltas.stop(), spyDirect.stop(), spyWildcard.stop(), spyEverything.stop()]);
    }
  }, TEST_MS);

  it('lets one login serve every Device that names a shared Secret, and no other', async () => {
    await setup.kubectl.ok(['create', 'secret', 'generic', 'line-mapper', '-n', NS, '--type=outpost.io/mqtt-credentials', '--from-literal=username=line-mapper', '--from-literal=password=line-mapper-password-1']);
    const annotation = { 'devices.outpost.io/mqtt-secret': 'line-mapper' };
    await setup.kubectl.ok(['apply', '-f', '-'], { stdin: `${twinDevice('line-a', setup.node, annotation)}---\n${twinDevice('line-b', setup.node, annotation)}` });
    const shared = await setup.secretLogin(NS, 'line-mapper');
    expect(shared).toEqual({ username: 'line-mapper', password: 'line-mapper-password-1' });
    await setup.waitEdgeRow('Device', NS, 'line-b');
    await setup.waitEdgeRow('Secret', NS, 'line-mapper');
    for (const device of ['line-a', 'line-b']) {
      const pub = await mosquittoPub(url, deviceTopic(NS, device, 'twin/update'), JSON.stringify({ event_id: `shared-${device}`, twin: { temperature: { actual: { value: '15' } } } }), shared);
      expect(pub.code, `${device}: ${pub.stderr}`).toBe(0);
    }
    await setup.waitReported(NS, 'line-a', { temperature: '15' });
    await setup.waitReported(NS, 'line-b', { temperature: '15' });
    const outside = await mosquittoPub(url, deviceTopic(NS, 'alpha', 'twin/update'), JSON.stringify({ twin: { temperature: { actual: { value: '88' } } } }), shared);
    expect(outside.code).not.toBe(0);
    expect(await actualTemperature('alpha', alpha)).toBe('10');
  }, TEST_MS);

  it('listens on loopback only: no other address of this machine reaches it', async () => {
    const { hostname, port } = new URL(url);
    expect(hostname).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => a.family === 'IPv4' && !a.internal);
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address.address, port: Number(port) });
        socket.setTimeout(5_000, () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, address.address).not.toBe('connected');
    }
  }, TEST_MS);
});
