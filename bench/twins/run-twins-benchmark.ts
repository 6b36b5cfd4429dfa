import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errors.js';
import { stopAllChildren } from '../channel/child.js';
import { machineFacts } from '../shared/machine-facts.js';
import { startEmbeddedBroker, startMosquitto, type BrokerProcess } from './broker-processes.js';
import { runFlood } from './flood-phase.js';
import { plainRoundTrip, throughput } from './mqtt-figures.js';
import { formatReport, type TwinsFigures } from './report.js';
import { measureCloudToDelta, measureEdgeRss, measurePlainOnEdge, measureTwinRoundTrip, startTwinBench } from './twin-phase.js';

export const TWINS_BENCHMARK_USAGE = `twins [--flood-seconds S] [--round-trips N] [--messages M] [--devices D] [--skip-twins]
  MQTT for device twins: the plain publish -> subscribe round trip (N, default 2,000) and messages/s
  at QoS 0 and QoS 1 (M each, default 100,000) through the embedded broker beside mosquitto; a QoS 0
  flood of S seconds (default 60) against the embedded broker (peak RSS, still up?); then, with a
  real cloudcore and edgecore and D Devices (default 100): twin update -> result at the mapper,
  cloud desired change -> delta at the mapper, and the edge's RSS.`;

interface Options {
  floodSeconds: number;
  roundTrips: number;
  messages: number;
  devices: number;
  twins: boolean;
}

const WARMUP = 200;
const WINDOW = 1000;
const DELTA_SAMPLES = 200;

function parseOptions(argv: string[]): Options | string {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'flood-seconds': { type: 'string', default: '60' },
        'round-trips': { type: 'string', default: '2000' },
        messages: { type: 'string', default: '100000' },
        devices: { type: 'string', default: '100' },
        'skip-twins': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const number = (name: string, text: string, min: number): number => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${text}`);
      return n;
    };
    return {
      floodSeconds: number('flood-seconds', values['flood-seconds'], 0),
      roundTrips: number('round-trips', values['round-trips'], 10),
      messages: number('messages', values.messages, 100),
      devices: number('devices', values.devices, 2),
      twins: !values['skip-twins'],
    };
  } catch (err) {
    return errorMessage(err);
  }
}

/** Runs the benchmark: the table, then one JSON line, on stdout; progress on stderr. Cleans up always. */
export async function runTwinsBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const opts = parseOptions(argv);
  if (typeof opts === 'string') {
    console.error(`${opts}\nusage: ${TWINS_BENCHMARK_USAGE}`);
    return 2;
  }
  const progress = (text: string): void => console.error(`[bench twins ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const figures: TwinsFigures = { environment: machineFacts(), plainRoundTrip: {}, throughput: {}, errors: {} };
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-twins-'));
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  const phase = async (name: string, run: () => Promise<void>): Promise<void> => {
    if (signal.aborted) return;
    try {
      await run();
    } catch (err) {
      figures.errors[name] = errorMessage(err);
      progress(`${name} failed: ${errorMessage(err)}`);
    }
  };
  try {
    for (const start of [startEmbeddedBroker, startMosquitto]) {
      let broker: BrokerProcess | undefined;
      await phase(`${start === startEmbeddedBroker ? 'embedded' : 'mosquitto'} broker`, async () => {
        broker = await start();
        const b = broker;
        progress(`${b.name}: plain round trip x${opts.roundTrips}`);
        figures.plainRoundTrip[b.name] = await plainRoundTrip(b, opts.roundTrips, WARMUP);
        progress(`${b.name}: QoS 0 and QoS 1 throughput, ${opts.messages} messages each`);
        const qos0 = await throughput(b, 0, opts.messages, WINDOW);
        const qos1 = await throughput(b, 1, opts.messages, WINDOW);
        figures.throughput[b.name] = { qos0, qos1 };
        if (b.name === 'embedded' && opts.floodSeconds > 0) {
          progress(`embedded: QoS 0 flood for ${opts.floodSeconds} s`);
          figures.flood = await runFlood(b, opts.floodSeconds, progress);
        }
      });
      await broker?.stop();
    }
    if (opts.twins) {
      await phase('twins', async () => {
        const bench = await startTwinBench(join(dir, 'twins'), opts.devices, signal, progress);
        try {
          progress("plain round trip through the edge's broker");
          figures.plainRoundTrip.edge = await measurePlainOnEdge(bench, opts.roundTrips, WARMUP);
          progress('twin update -> result');
          figures.twinRoundTrip = await measureTwinRoundTrip(bench, opts.roundTrips, WARMUP);
          progress('cloud desired change -> delta');
          figures.cloudToDelta = await measureCloudToDelta(bench, DELTA_SAMPLES);
          figures.edgeRss = await measureEdgeRss(bench);
        } finally {
          for (const child of [...bench.children].reverse()) await child.stop();
        }
      });
    }
    console.log(formatReport(figures));
    console.log(JSON.stringify(figures));
    return Object.keys(figures.errors).length === 0 ? 0 : 1;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await stopAllChildren();
    await rm(dir, { recursive: true, force: true });
  }
}
