/**
 * The cloud's side of the streams that travel over a node's websocket (docs/protocol.md R26–R32):
 * `kubectl logs` (logs/), `kubectl exec` (exec/), and the pod/container/node lookup both share
 * (target/).
 */
export { createPodLogHandler } from './logs/pod-log-handler.js';
export type { PodLogHandlerOptions, SubresourceHandler } from './logs/pod-log-handler.js';
export { createPodExecHandler } from './exec/pod-exec-handler.js';
export type { PodExecHandlerOptions } from './exec/pod-exec-handler.js';
export type { ContainerChoice, StreamTarget } from './target/stream-target.js';
