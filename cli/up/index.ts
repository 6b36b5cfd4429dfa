export { createProgress } from './progress.js';
export type { Progress, StepOutcome } from './progress.js';
export { startHub, DEFAULT_METASERVER_PORT, DEFAULT_MQTT_PORT } from './start-hub.js';
export type { RunningHub, UpEdge, UpFlags, UpLogTo } from './start-hub.js';
export { showDemo } from './show-demo.js';
export type { ShowDemoContext } from './show-demo.js';
export { stderrLogTo } from './log-destination.js';
