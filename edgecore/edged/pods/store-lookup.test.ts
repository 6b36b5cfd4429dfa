import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_ACCOUNT_TOKEN_KIND, SERVICE_ACCOUNTS_API_VERSION, tokenObjectUid, type WireObject } from '../../../shared/protocol/index.js';
import { EdgeStore } from '../../metamanager/index.js';
import { storeLookup } from './store-lookup.js';

const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-lookup-')), 'edge.db'));
if (!opened.ok) throw new Error(opened.message);
const store = opened.value;
afterAll(() => store.close());

const CLUSTER_CA = '-----BEGIN CERTIFICATE-----\nCLUSTER\n-----END CERTIFICATE-----\n';
const EDGE_CA = '-----BEGIN CERTIFICATE-----\nMETASERVER\n-----END CERTIFICATE-----\n';
const api = { port: 10550, caPem: EDGE_CA };

store.applyDownstream([
  { kind: 'upsert', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'shop', uid: 'cm-ca', resourceVersion: '1' }, data: { 'ca.crt': CLUSTER_CA } } as WireObject },
  {
    kind: 'upsert',
    object: {
      apiVersion: SERVICE_ACCOUNTS_API_VERSION, kind: SERVICE_ACCOUNT_TOKEN_KIND, metadata: { name: 'web.x', namespace: 'shop', uid: tokenObjectUid('uid-1', 'api', 'token'), resourceVersion: '2' },
      spec: { podUid: 'uid-1', podName: 'web', volume: 'api', path: 'token', serviceAccountName: 'robot' }, status: { token: 'a.b.c', expirationTimestamp: '2027-01-01T00:00:00Z' },
    } as WireObject,
  },
]);

describe('storeLookup: what pods\' in-cluster clients need at the edge', () => {
  it('kube-root-ca.crt carries the cluster CA and MetaServer\'s CA once MetaServer listens', () => {
    expect(storeLookup(store, () => api).configMap('shop', 'kube-root-ca.crt')?.data?.['ca.crt']).toBe(`${CLUSTER_CA}${EDGE_CA}`);
    expect(storeLookup(store).configMap('shop', 'kube-root-ca.crt')?.data?.['ca.crt']).toBe(CLUSTER_CA);
  });

  it('finds the cloud\'s token for a (pod, volume, path), and none for another', () => {
    const lookup = storeLookup(store, () => api);
    expect(lookup.serviceAccountToken?.('uid-1', 'api', 'token')).toBe('a.b.c');
    expect(lookup.serviceAccountToken?.('uid-2', 'api', 'token')).toBeUndefined();
  });
});
