export { createNodeLifecycleController, DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS } from './node-lifecycle-controller.js';
export type { Clock, NodeLifecycleController, NodeLifecycleOptions } from './node-lifecycle-controller.js';
export { parseGoDuration } from './go-duration.js';
export { AUTONOMY_ANNOTATION } from './eviction-policy.js';
