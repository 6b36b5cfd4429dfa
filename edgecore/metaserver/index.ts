export { createMetaServer } from './metaserver.js';
export type { MetaServer, MetaServerOptions } from './metaserver.js';
export type { Caller, TokenAuthenticator } from './access.js';
export type { DeviceMetricsSample } from './metrics.js';
