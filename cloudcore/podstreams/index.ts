/**
 * The cloud's side of the streams that travel over a node's websocket (docs/protocol.md R26–R32):
 * `kubectl logs` (logs/), `kubectl exec` (exec/), `kubectl attach` (attach/, R43, through exec's
 * upgrade and relay), `kubectl port-forward` (portforward/, R44), and the pod/container/node
 * lookup they share (target/).
 */
export { createPodLogHandler } from './logs/pod-log-handler.js';
export type { PodLogHandlerOptions, SubresourceHandler } from './logs/pod-log-handler.js';
export { createPodExecHandler } from './exec/pod-exec-handler.js';
export type { PodExecHandlerOptions } from './exec/pod-exec-handler.js';
export { createPodAttachHandler } from './attach/pod-attach-handler.js';
export type { PodAttachHandlerOptions } from './attach/pod-attach-handler.js';
export { createPodPortForwardHandler } from './portforward/pod-portforward-handler.js';
export type { PodPortForwardHandlerOptions } from './portforward/pod-portforward-handler.js';
export type { ContainerChoice, StreamTarget } from './target/stream-target.js';
