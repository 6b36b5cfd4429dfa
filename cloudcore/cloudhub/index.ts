export { createCloudHub } from './cloud-hub.js';
export type { CloudHub, CloudHubOptions } from './cloud-hub.js';
