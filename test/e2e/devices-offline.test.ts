/**
 * Device twins across an offline period (issue 13), real processes in both MQTT modes: while
 * cloudcore is down the device reports 100 values, with edgecore restarted half-way; then, with
 * the edge stopped, cloudcore starts alone and the desired set-point changes 10 times; when the
 * edge comes back, DeviceStatus holds the newest reported values (the device wins `reported`)
 * and the example mapper applies the newest desired one (the cloud wins `desired`)
 * (docs/protocol.md R39; contract § 5, the conflict rule).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTopic, deviceYaml, MQTT_MODES, RECONNECT_MS, startDeviceSetup, startThermostatMapper, STEP_MS, type DeviceSetup, type MapperProcess, type MqttMode } from '../helpers/devices-e2e.js';
import { mosquittoPub, mosquittoSub, type MqttLogin } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/poll.js';

const NS = 'offline';
const DEVICE = 'thermo-off';
/** Setup, 100 reports with an edge restart, a cloud restart, 10 patches, reconnect backoff, convergence. */
const TEST_MS = 240_000;
/** Four counters take the 100 reports in turn: report i sets p<i % 4> to i. */
const COUNTERS = ['p0', 'p1', 'p2', 'p3'];

let setup: DeviceSetup | undefined;
let mapper: MapperProcess | undefined;
afterEach(async () => {
  await mapper?.stop();
  await setup?.stop();
  mapper = undefined;
  setup = undefined;
});

/** Reports i = from..to with one mosquitto_pub -l (QoS 1), and waits for every twin/update/result. */
async function report(s: DeviceSetup, login: MqttLogin, from: number, to: number): Promise<void> {
  const url = s.brokerUrl();
  const results = mosquittoSub(url, [deviceTopic(NS, DEVICE, 'twin/update/result')], login);
  try {
    expect(await results.subscribed).toEqual([1]);
    const lines: string[] = [];
    for (let i = from; i <= to; i++) lines.push(JSON.stringify({ event_id: `off-${i}`, timestamp: Date.now(), twin: { [COUNTERS[i % 4] ?? 'p0']: { actual: { value: String(i) } } } }));
    const pub = await mosquittoPub(url, deviceTopic(NS, DEVICE, 'twin/update'), { lines }, login);
    expect(pub.code, pub.stderr).toBe(0);
    await waitFor(
      () => {
        const answered = new Map(results.messages().map((m) => {
          const body = JSON.parse(m.payload) as { event_id?: string; code?: number };
          return [body.event_id, body.code] as const;
        }));
        for (let i = from; i <= to; i++) if (!answered.has(`off-${i}`) || answered.get(`off-${i}`) !== undefined) return false;
        return true;
      },
      { timeoutMs: STEP_MS, intervalMs: 100, description: () => `successful results for off-${from}..off-${to}; got ${results.messages().length}: ${results.messages().slice(-3).map((m) => m.payload).join(' | ')}\n${s.logs()}` },
    );
  } finally {
    await results.stop();
  }
}

describe.each(MQTT_MODES)('device twins offline in %s mode', (mode: MqttMode) => {
  it('keeps 100 reports made while cloudcore is down across an edge restart, and applies the newest of 10 desired changes made meanwhile', async () => {
    setup = await startDeviceSetup(mode, { namespace: NS });
    const s = setup;
    const properties = [{ name: 'temperature', type: 'FLOAT' as const }, { name: 'setpoint', type: 'FLOAT' as const, desired: '21' }, ...COUNTERS.map((name) => ({ name, type: 'INT' as const }))];
    await s.kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml({ namespace: NS, name: DEVICE, model: 'thermostat-counters', node: s.node, properties }) });
    const login = await s.login(NS, DEVICE);
    mapper = startThermostatMapper(s.brokerUrl(), `${NS}/${DEVICE}`, login, 500);
    await s.waitReported(NS, DEVICE, { setpoint: '21' });

    // The cloud dies; the device keeps reporting to its edge, which restarts half-way.
    await s.stopCloud('SIGKILL');
    await s.waitDisconnected();
    await report(s, login, 1, 50);
    await s.stopEdge('SIGTERM');
    await s.startEdge();
    await report(s, login, 51, 100);

    // The edge is away while cloudcore, started alone, takes 10 desired changes.
    await s.stopEdge('SIGTERM');
    await s.startCloud();
    for (let i = 1; i <= 10; i++) await s.patchDesired(NS, DEVICE, 'setpoint', String(21 + i));

    await s.startEdge();
    await s.waitConnected(RECONNECT_MS);
    // The device wins `reported`: the newest of each counter, 97..100.
    await s.waitReported(NS, DEVICE, { p1: '97', p2: '98', p3: '99', p0: '100' }, RECONNECT_MS);
    // The cloud wins `desired`: the mapper ends on the tenth change, and reports it back.
    await mapper.waitForLine(/applied desired setpoint=31 /, RECONNECT_MS);
    const status = await s.waitReported(NS, DEVICE, { setpoint: '31' }, RECONNECT_MS);
    expect(status.status?.twins?.find((t) => t.propertyName === 'setpoint')?.observedDesired?.value).toBe('31');
    const applied = mapper.output().split('\n').filter((line) => line.includes('applied desired setpoint='));
    expect(applied.at(-1)).toContain('applied desired setpoint=31 ');
  }, TEST_MS);
});
