export { createKubernetesServiceController } from './kubernetes-service-controller.js';
export type { KubernetesServiceOptions } from './kubernetes-service-controller.js';
export { advertiseAddress } from './advertise-address.js';
export type { ApiEndpoint } from './kubernetes-objects.js';
