export { RBAC_BENCHMARK_USAGE, runRbacBenchmark } from './run-rbac-benchmark.js';
