export { createDeploymentController } from './deployment-controller.js';
export type { DeploymentControllerOptions } from './deployment-controller.js';
