export { CONTROLLERS_BENCHMARK_USAGE, runControllersBenchmark } from './run-controllers-benchmark.js';
