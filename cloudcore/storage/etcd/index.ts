export { createEtcdStore, type EtcdStoreOptions, type EtcdTls } from './etcd-store.js';
export type { EtcdCompactionOptions } from './etcd-compaction.js';
