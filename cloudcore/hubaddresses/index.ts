export { createHubAddresses, DEFAULT_HUB_LEASE_SECONDS } from './hub-addresses.js';
export type { HubAddresses, HubAddressesOptions } from './hub-addresses.js';
export { ensureHubId } from './hub-id.js';
export { advertisedHost, advertisedHubUrl, advertisedJoinAddress, firstNonLoopbackAddress, publishedHosts } from './advertised-url.js';
