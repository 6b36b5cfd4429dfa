export { EDGE_SYNC_BENCHMARK_USAGE, runEdgeSyncBenchmark } from './run-edge-sync-benchmark.js';
export type { EdgeSyncFigures } from './report.js';
