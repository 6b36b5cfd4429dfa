export { createReplicaSetController } from './replicaset-controller.js';
export type { ReplicaSetControllerOptions } from './replicaset-controller.js';
