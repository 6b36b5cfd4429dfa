export { createEtcdStore, type EtcdStore, type EtcdStoreOptions, type EtcdTls } from './etcd-store.js';
export { parseDatastoreEndpoint, type EndpointResult } from './datastore-endpoint.js';
export type { EtcdCompactionOptions } from './etcd-compaction.js';
