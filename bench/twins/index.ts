export { TWINS_BENCHMARK_USAGE, runTwinsBenchmark } from './run-twins-benchmark.js';
export type { TwinsFigures } from './report.js';
