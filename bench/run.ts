import { API_BENCHMARK_USAGE, runApiBenchmark } from './api/index.js';
import { CHANNEL_BENCHMARK_USAGE, runChannelBenchmark } from './channel/index.js';
import { CONTROLLERS_BENCHMARK_USAGE, runControllersBenchmark } from './controllers/index.js';
import { EDGE_SYNC_BENCHMARK_USAGE, runEdgeSyncBenchmark } from './edge-sync/index.js';
import { FUZZ_BENCHMARK_USAGE, runFuzzBenchmark } from './fuzz/index.js';
import { PODS_BENCHMARK_USAGE, runPodsBenchmark } from './pods/index.js';
import { RBAC_BENCHMARK_USAGE, runRbacBenchmark } from './rbac/index.js';
import { TWINS_BENCHMARK_USAGE, runTwinsBenchmark } from './twins/index.js';

/**
 * The benchmark dispatcher: `node dist/bench/run.js NAME [args]` runs one benchmark. With no
 * name it lists them; an unknown name lists them and exits 2. Ctrl-C or SIGTERM aborts the run,
 * and each benchmark cleans up (its child processes, its tmp folder) before exiting.
 */
interface Benchmark {
  usage: string;
  run(argv: string[], signal: AbortSignal): Promise<number>;
}

const benchmarks: Record<string, Benchmark> = {
  api: { usage: API_BENCHMARK_USAGE, run: runApiBenchmark },
  channel: { usage: CHANNEL_BENCHMARK_USAGE, run: runChannelBenchmark },
  controllers: { usage: CONTROLLERS_BENCHMARK_USAGE, run: runControllersBenchmark },
  'edge-sync': { usage: EDGE_SYNC_BENCHMARK_USAGE, run: runEdgeSyncBenchmark },
  fuzz: { usage: FUZZ_BENCHMARK_USAGE, run: runFuzzBenchmark },
  pods: { usage: PODS_BENCHMARK_USAGE, run: runPodsBenchmark },
  rbac: { usage: RBAC_BENCHMARK_USAGE, run: runRbacBenchmark },
  twins: { usage: TWINS_BENCHMARK_USAGE, run: runTwinsBenchmark },
};

function listBenchmarks(): string {
  return ['benchmarks (npm run bench -- NAME):', ...Object.values(benchmarks).map((b) => `  ${b.usage.replace(/\n/g, '\n  ')}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(listBenchmarks());
    return 0;
  }
  const benchmark = Object.hasOwn(benchmarks, name) ? benchmarks[name] : undefined;
  if (benchmark === undefined) {
    console.error(`unknown benchmark ${JSON.stringify(name)}\n${listBenchmarks()}`);
    return 2;
  }
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`[bench] ${signal}: stopping and cleaning up`);
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return benchmark.run(rest, abort.signal);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
