export { PODS_BENCHMARK_USAGE, runPodsBenchmark } from './run-pods-benchmark.js';
export type { PodsFigures } from './report.js';
