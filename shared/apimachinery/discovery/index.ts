/** Discovery documents (aggregated and legacy) and /version, for any set of served resources. */
export {
  aggregatedDiscovery,
  aggregatedResource,
  aggregatedVersionWanted,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  legacyResource,
  staticDiscoverySource,
  versionInfo,
} from './documents.js';
export type { DiscoverySource, DocumentOptions } from './documents.js';
