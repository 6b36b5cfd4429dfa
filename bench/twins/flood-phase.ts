import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { generate } from 'mqtt-packet';
import { residentBytes } from '../channel/proc-memory.js';
import type { BrokerProcess } from './broker-processes.js';
import { connectTo } from './mqtt-figures.js';

/* The QoS 0 flood against the embedded broker (docs/mqtt-broker.md § Benchmark). */

export interface FloodFigures {
  seconds: number;
  published: number;
  receivedByReader: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  rssAfterBytes: number;
  stillUp: boolean;
  brokerCounters?: Record<string, number>;
}

const SAMPLE_MS = 200;

/** The peak resident set the kernel recorded for a process (VmHWM), in bytes. */
function peakResidentBytes(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function rawClient(broker: BrokerProcess, clientId: string): Socket {
  const url = new URL(broker.url);
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined); // the broker may drop it: that is one of the outcomes measured
  socket.write(generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 60, username: broker.username, password: Buffer.from(broker.password) }));
  return socket;
}

/**
 * For `seconds`: one publisher writing QoS 0 messages as fast as the broker reads them (50 per
 * write), one subscriber reading them, and one that subscribed and then never reads. The broker
 * process's RSS is sampled throughout; at the end a round trip through it says whether it is up.
 */
export async function runFlood(broker: BrokerProcess, seconds: number, progress: (text: string) => void): Promise<FloodFigures> {
  const pid = broker.child.pid;
  const rssBeforeBytes = residentBytes(pid) ?? Number.NaN;
  const reader = await connectTo(broker, 'flood-reader');
  let receivedByReader = 0;
  reader.on('message', () => {
    receivedByReader += 1;
  });
  await reader.subscribeAsync('flood/#', { qos: 0 });

  const stalled = rawClient(broker, 'flood-stalled');
  stalled.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flood/#', qos: 0 }] }));
  stalled.once('data', () => stalled.pause());

  const publisher = rawClient(broker, 'flood-publisher');
  const batch = Buffer.concat(Array.from({ length: 50 }, (_, i) => generate({ cmd: 'publish', topic: `flood/${i % 10}`, payload: Buffer.alloc(32, 0x62), qos: 0, retain: false, dup: false })));
  let published = 0;
  let running = true;
  const pump = (): void => {
    while (running && !publisher.destroyed) {
      published += 50;
      if (!publisher.write(batch)) {
        publisher.once('drain', pump);
        return;
      }
    }
  };
  publisher.once('data', pump);

  let peakRssBytes = rssBeforeBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, residentBytes(pid) ?? 0);
  }, SAMPLE_MS);
  const started = Date.now();
  const ticker = setInterval(() => progress(`flood: ${Math.round((Date.now() - started) / 1000)} s, ${published} published, ${receivedByReader} read`), 10_000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  clearInterval(sampler);
  clearInterval(ticker);
  publisher.destroy();
  stalled.destroy();
  peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(pid) ?? 0);

  const stillUp = broker.child.process.exitCode === null && (await roundTripWorks(broker));
  const brokerCounters = await askCounters(broker);
  await reader.endAsync(true);
  return { seconds, published, receivedByReader, rssBeforeBytes, peakRssBytes, rssAfterBytes: residentBytes(pid) ?? Number.NaN, stillUp, ...(brokerCounters === undefined ? {} : { brokerCounters }) };
}

async function roundTripWorks(broker: BrokerProcess): Promise<boolean> {
  try {
    const client = await connectTo(broker, 'flood-check');
    try {
      await client.subscribeAsync('check/echo', { qos: 1 });
      const got = new Promise<boolean>((resolve) => {
        client.once('message', () => resolve(true));
        setTimeout(() => resolve(false), 10_000);
      });
      await client.publishAsync('check/echo', 'up?', { qos: 1 });
      return await got;
    } finally {
      await client.endAsync(true);
    }
  } catch {
    return false; // not reachable: exactly the outcome this answers
  }
}

/** The embedded broker child answers 'counters' over IPC (bench/twins/broker-child.ts). */
function askCounters(broker: BrokerProcess): Promise<Record<string, number> | undefined> {
  const proc = broker.child.process;
  if (proc.send === undefined || !proc.connected) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 2000);
    proc.once('message', (message: unknown) => {
      clearTimeout(timer);
      resolve((message as { counters?: Record<string, number> }).counters);
    });
    proc.send?.('counters');
  });
}
