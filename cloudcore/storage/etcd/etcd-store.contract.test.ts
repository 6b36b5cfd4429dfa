import { afterAll, beforeAll } from 'vitest';
import { runStoreContract } from '../../../test/contracts/storage/store-contract.js';
import { startEtcd, type EtcdCluster } from '../../../test/helpers/etcd.js';
import { createEtcdStore } from './etcd-store.js';

// One real etcd member (Debian's etcd-server) for the whole suite; every store gets its own key
// prefix, so the stores of different tests never see each other's keys.
let etcd: EtcdCluster | undefined;
let counter = 0;
beforeAll(async () => {
  etcd = await startEtcd({ members: 1 });
});
afterAll(async () => {
  await etcd?.stop();
});

runStoreContract('etcd', () => {
  if (etcd === undefined) throw new Error('etcd did not start');
  return createEtcdStore({ endpoints: etcd.endpoints.split(','), prefix: `/contract-${process.pid}-${++counter}` });
});
