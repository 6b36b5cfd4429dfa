/**
 * An example mapper: a simulated thermostat that speaks only KubeEdge's twin topics
 * (docs/kubeedge-compat.md § MQTT topics). It reports `temperature` and `setpoint` as actual
 * values every interval, applies the desired `setpoint` (or a desired `temperature`, taken as the
 * target) from `twin/update/delta`, and asks `twin/get` on every connect so that a desired value
 * set while it was away is applied too. One log line per event. `main.ts` runs it.
 */
import mqtt from 'mqtt';
import type { MapperOptions } from './options.js';
import { applySetpoint, drift, reportedValues, sensorReading, type ThermostatState } from './thermostat.js';
import { actualUpdate, deviceTopics, getRequest, parseDelta, parseExpected, parseFailure } from './twin-messages.js';

function log(device: string, message: string): void {
  process.stdout.write(`${new Date().toISOString()} thermostat ${device}: ${message}\n`);
}

/** Runs until the signal aborts; resolves once the client has disconnected. */
export async function runMapper(options: MapperOptions, signal: AbortSignal): Promise<void> {
  const topics = deviceTopics(options.device);
  let state: ThermostatState = { temperature: options.startTemperature, setpoint: 21 };
  let tick = 0;
  const client = mqtt.connect(options.broker, {
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    reconnectPeriod: 1000,
    clean: true,
  });

  const report = (why: string): void => {
    const values = reportedValues(sensorReading(state, tick));
    client.publish(topics.update, actualUpdate(values), { qos: 1 });
    log(options.device, `reported temperature=${values.temperature} setpoint=${values.setpoint} (${why})`);
  };

  /** A desired value from a delta or a twin/get answer: the set-point, or a desired temperature as the target. */
  const applyDesired = (expected: Record<string, string>, source: string): void => {
    const desired = expected.setpoint ?? expected.temperature;
    if (desired === undefined) return;
    const change = applySetpoint(state, desired);
    if (!change.ok) {
      log(options.device, `ignored desired set-point from ${source}: ${change.reason}`);
      return;
    }
    if (change.state.setpoint === state.setpoint) return;
    state = change.state;
    log(options.device, `applied desired setpoint=${state.setpoint} from ${source}`);
    report('set-point changed');
  };

  client.on('connect', () => {
    log(options.device, `connected to ${options.broker}`);
    client.subscribe([topics.delta, topics.getResult, topics.updateResult], { qos: 1 }, (error, granted) => {
      if (error !== null && error !== undefined) return log(options.device, `subscribe failed: ${error.message}`);
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) log(options.device, `subscription refused by the broker: ${refused.join(', ')}`);
      client.publish(topics.get, getRequest(), { qos: 1 });
    });
  });
  client.on('message', (topic, payload) => {
    if (topic === topics.delta) {
      const delta = parseDelta(payload);
      if (delta === undefined) return log(options.device, 'ignored a delta that is not {delta: {property: value}}');
      applyDesired(delta, 'twin/update/delta');
    } else if (topic === topics.getResult) {
      const failure = parseFailure(payload);
      if (failure !== undefined) return log(options.device, `twin/get failed: ${failure.code} ${failure.reason}`);
      const expected = parseExpected(payload);
      if (expected !== undefined) applyDesired(expected, 'twin/get/result');
    } else if (topic === topics.updateResult) {
      const failure = parseFailure(payload);
      if (failure !== undefined) log(options.device, `twin/update failed: ${failure.code} ${failure.reason}`);
    }
  });
  client.on('error', (error) => log(options.device, `mqtt: ${error.message}`));

  const timer = setInterval(() => {
    if (!client.connected) return;
    state = drift(state);
    tick++;
    report('interval');
  }, options.intervalMs);

  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(timer);
  await client.endAsync();
  log(options.device, 'stopped');
}
