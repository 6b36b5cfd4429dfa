export { FUZZ_BENCHMARK_USAGE, runFuzzBenchmark } from './run-fuzz-benchmark.js';
export { describeFinding, FUZZ_INTERFACES, FUZZ_TIMEOUT_MS, MAX_FUZZ_RSS_BYTES, runFuzz } from './fuzz-run.js';
export type { FuzzInterface, FuzzReport, FuzzRunOptions, FuzzTarget } from './fuzz-run.js';
export { fuzzSeed, Prng } from './prng.js';
export type { Finding, FindingKind } from './verdict.js';
