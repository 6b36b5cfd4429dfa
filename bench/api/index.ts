export { API_BENCHMARK_USAGE, runApiBenchmark } from './run-api-benchmark.js';
export type { ApiBenchmarkFigures } from './report.js';
