export { createEndpointsController } from './endpoints-controller.js';
export type { EndpointsControllerOptions } from './endpoints-controller.js';
