/**
 * A bounded, seeded fuzz of the device MQTT topics (issue 13; docs/architecture.md § Input): a few
 * thousand payloads, valid ones mutated and plain garbage, at every twin topic of a device and at
 * its node's membership topic, plus raw bytes that are not MQTT at all at the broker's port. The
 * edge and its embedded broker must stay up, and a control device's twin must still answer and
 * still reach DeviceStatus. The seed is printed; replay with DEVICE_FUZZ_SEED=<seed>.
 */
import { connect as tcpConnect } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { deviceTopic, deviceYaml, startDeviceSetup, STEP_MS, type DeviceSetup } from '../helpers/devices-e2e.js';
import { mosquittoPub, mosquittoSub, type MqttLogin } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/poll.js';

const NS = 'fuzz';
const PAYLOADS = 3_000;
const RAW_CONNECTIONS = 20;
const TEST_MS = 240_000;

/** mulberry32: a small seeded generator, so a failing run can be replayed exactly. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: Random, max: number) => Math.floor(random() * max);

function randomString(random: Random, max: number): string {
  const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '/', '+', '#', '$', '\u0000', 'é', '漢', '😀', '\n', '{', '}'];
  let out = '';
  for (let i = int(random, max); i > 0; i--) out += pick(random, alphabet);
  return out;
}

/** Any JSON value, nested up to `depth`. */
function randomJson(random: Random, depth: number): unknown {
  const kind = int(random, depth > 0 ? 9 : 6);
  switch (kind) {
    case 0: return null;
    case 1: return random() < 0.5;
    case 2: return pick(random, [0, -1, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308, Number.MIN_VALUE]);
    case 3: return randomString(random, 20);
    case 4: return 'x'.repeat(pick(random, [128, 129, 512, 513, 4096]));
    case 5: return pick(random, ['online', 'offline', 'ok', 'unhealthy', 'unknown', 'ONLINE', '']);
    case 6: return Array.from({ length: int(random, 4) }, () => randomJson(random, depth - 1));
    case 7: {
      const out: Record<string, unknown> = {};
      for (let i = int(random, 4); i > 0; i--) out[pick(random, ['temperature', 'setpoint', 'value', 'actual', 'expected', 'version', 'metadata', '__proto__', 'constructor', 'k'.repeat(129), randomString(random, 8)])] = randomJson(random, depth - 1);
      return out;
    }
    default: {
      // Deep nesting: a parser or a validator that recurses must not fall over.
      let nested: unknown = 'bottom';
      for (let i = 200 + int(random, 800); i > 0; i--) nested = random() < 0.5 ? [nested] : { a: nested };
      return nested;
    }
  }
}

/** Valid requests of each input topic, to be mutated. */
function validSample(random: Random, rest: string): Record<string, unknown> {
  const eventId = `e-${int(random, 1e9)}`;
  if (rest.startsWith('twin/update')) {
    const property = pick(random, ['temperature', 'setpoint']);
    const twin = { [property]: { actual: { value: String(int(random, 40)) }, expected: { value: String(int(random, 40)) }, metadata: { type: 'float' }, version: int(random, 5) } };
    return { event_id: eventId, timestamp: Date.now(), twin };
  }
  if (rest.startsWith('state')) return { event_id: eventId, timestamp: Date.now(), state: pick(random, ['online', 'offline']) };
  return { event_id: eventId };
}

/** Sets, deletes or replaces one value somewhere inside a JSON object. */
function mutate(random: Random, value: Record<string, unknown>): unknown {
  const clone = structuredClone(value) as Record<string, unknown>;
  let target: Record<string, unknown> = clone;
  for (let depth = int(random, 4); depth > 0; depth--) {
    const children = Object.values(target).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (children.length === 0) break;
    target = pick(random, children);
  }
  const keys = Object.keys(target);
  const key = keys.length > 0 && random() < 0.7 ? pick(random, keys) : randomString(random, 10);
  if (random() < 0.3) delete target[key];
  else target[key] = randomJson(random, 3);
  return clone;
}

function payloadFor(random: Random, rest: string): Buffer {
  const roll = random();
  if (roll < 0.45) return Buffer.from(JSON.stringify(mutate(random, validSample(random, rest))));
  if (roll < 0.6) {
    const text = JSON.stringify(validSample(random, rest));
    return Buffer.from(text.slice(0, int(random, text.length))); // truncated JSON
  }
  if (roll < 0.75) return Buffer.from(JSON.stringify(randomJson(random, 4)));
  if (roll < 0.8) return Buffer.from(JSON.stringify(validSample(random, rest))); // valid now and then, so handlers run deep
  return Buffer.from(Array.from({ length: int(random, 2048) }, () => int(random, 256))); // raw bytes, often not UTF-8
}

/** An answer with code 400; the fuzz's own garbage echoed on an answer topic is not one. */
function isRefusal(payload: Buffer): boolean {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return false; // not JSON: one of the fuzz's own payloads
  }
  return typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 400;
}

let setup: DeviceSetup;
let url: string;
let control: MqttLogin;
let target: MqttLogin;

const twinDevice = (name: string, node: string) =>
  deviceYaml({ namespace: NS, name, model: 'fuzz-model', node, properties: [{ name: 'temperature', type: 'FLOAT' }, { name: 'setpoint', type: 'FLOAT', desired: '20' }] });

beforeAll(async () => {
  setup = await startDeviceSetup('internal', { namespace: NS });
  url = setup.brokerUrl();
  await setup.kubectl.ok(['apply', '-f', '-'], { stdin: `${twinDevice('control', setup.node)}---\n${twinDevice('target', setup.node)}` });
  control = await setup.login(NS, 'control');
  target = await setup.login(NS, 'target');
}, 180_000);

afterAll(async () => {
  await setup?.stop();
});

describe('device MQTT topics under fuzz', () => {
  it(`survive ${PAYLOADS} mutated and garbage payloads at every topic, and raw non-MQTT bytes`, async () => {
    const seed = process.env.DEVICE_FUZZ_SEED !== undefined ? Number(process.env.DEVICE_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`device fuzz seed: ${seed} (replay with DEVICE_FUZZ_SEED=${seed})`);
    onTestFailed(() => console.error(`device fuzz seed: ${seed} (replay with DEVICE_FUZZ_SEED=${seed})`));
    const random = generator(seed);

    const rests = ['twin/update', 'twin/get', 'state/update', 'twin/update/result', 'twin/update/delta', 'twin/update/document', 'twin/get/result', 'state/update/result', 'twin', 'twin/update/x/y', 'other'];
    const membership = `$hw/events/node/${setup.node}/membership/get`;
    const client = await mqtt.connectAsync(url, { username: target.username ?? '', password: target.password ?? '', reconnectPeriod: 200, connectTimeout: 10_000 });
    // The edge's refusals prove the payloads reached its handlers: only the edge writes `code`
    // (the fuzz's own keys never spell it), so a 400 seen here is an answer.
    let refusals = 0;
    client.on('message', (_topic, payload) => {
      if (isRefusal(payload)) refusals += 1;
    });
    await client.subscribeAsync(['twin/update/result', 'twin/get/result', 'state/update/result'].map((rest) => deviceTopic(NS, 'target', rest)), { qos: 1 });
    let published = 0;
    try {
      for (let i = 0; i < PAYLOADS; i++) {
        const toMembership = random() < 0.08;
        const rest = pick(random, rests);
        const topic = toMembership ? membership : deviceTopic(NS, 'target', rest);
        await client.publishAsync(topic, payloadFor(random, toMembership ? 'membership' : rest), { qos: 1 });
        published += 1;
      }
      await waitFor(() => refusals >= 50, { timeoutMs: STEP_MS, intervalMs: 100, description: () => `the edge to answer at least 50 fuzzed requests with 400 (seen ${refusals})\n${setup.logs()}` });
    } finally {
      await client.endAsync();
    }
    expect(published).toBe(PAYLOADS);

    // Bytes that are not MQTT at all: the broker drops such a connection and keeps the others.
    const brokerPort = Number(new URL(url).port);
    for (let i = 0; i < RAW_CONNECTIONS; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + int(random, 512) }, () => int(random, 256)));
      await new Promise<void>((resolve) => {
        const socket = tcpConnect({ host: '127.0.0.1', port: brokerPort }, () => socket.end(bytes));
        socket.on('data', () => undefined);
        socket.once('close', () => resolve());
        socket.once('error', () => resolve());
        socket.setTimeout(5_000, () => socket.destroy());
      });
    }

    expect(setup.edge.child.exitCode, setup.logs()).toBeNull();
    expect(setup.edge.child.signalCode).toBeNull();
    // The control device still gets answers, and its report still reaches DeviceStatus.
    const answers = mosquittoSub(url, [deviceTopic(NS, 'control', 'twin/update/result'), deviceTopic(NS, 'control', 'twin/get/result')], control);
    try {
      expect(await answers.subscribed).toEqual([1, 1]);
      const update = await mosquittoPub(url, deviceTopic(NS, 'control', 'twin/update'), JSON.stringify({ event_id: 'after-fuzz', twin: { temperature: { actual: { value: '42.5' } } } }), control);
      expect(update.code, update.stderr).toBe(0);
      const result = await answers.waitFor((m) => m.payload.includes('"after-fuzz"'), STEP_MS, 'the result of after-fuzz');
      expect(JSON.parse(result.payload)).not.toHaveProperty('code');
      await mosquittoPub(url, deviceTopic(NS, 'control', 'twin/get'), JSON.stringify({ event_id: 'get-after-fuzz' }), control);
      const got = await answers.waitFor((m) => m.payload.includes('"get-after-fuzz"'), STEP_MS, 'the twin/get answer after the fuzz');
      expect(JSON.parse(got.payload)).toMatchObject({ twin: { temperature: { actual: { value: '42.5' } } } });
    } finally {
      await answers.stop();
    }
    await setup.waitReported(NS, 'control', { temperature: '42.5' });
    // The fuzzed device itself still answers a well-formed request.
    const targetAnswers = mosquittoSub(url, [deviceTopic(NS, 'target', 'twin/get/result')], target);
    try {
      expect(await targetAnswers.subscribed).toEqual([1]);
      await mosquittoPub(url, deviceTopic(NS, 'target', 'twin/get'), JSON.stringify({ event_id: 'target-after-fuzz' }), target);
      const got = await targetAnswers.waitFor((m) => m.payload.includes('"target-after-fuzz"'), STEP_MS, "the fuzzed device's twin/get answer");
      expect(JSON.parse(got.payload)).toHaveProperty('twin');
    } finally {
      await targetAnswers.stop();
    }
    expect(setup.edge.endpoints()?.connection).toBe('connected');
  }, TEST_MS);
});
