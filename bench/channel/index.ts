export { CHANNEL_BENCHMARK_USAGE, runChannelBenchmark } from './run-channel-benchmark.js';
export type { ChannelFigures } from './report.js';
