export { createEndpointSliceController } from './endpointslice-controller.js';
export type { EndpointSliceControllerOptions } from './endpointslice-controller.js';
