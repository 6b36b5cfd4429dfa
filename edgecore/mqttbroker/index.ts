export { createEmbeddedBroker } from './embedded-broker.js';
export type { BrokerLimits } from './limits.js';
export type { BrokerAccess, BrokerCounters, BrokerPrincipal, EmbeddedBroker, EmbeddedBrokerOptions } from './types.js';
