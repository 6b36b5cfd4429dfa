import type { KubeObject } from '../../shared/k8s/types.js';
import { errorMessage, OutpostError } from '../../shared/errors.js';
import { ApiError, createObject, updateObject, type ApiContext } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import { leaseSpecOf, readLeaderElectionRecord, type LeaderElectionRecord } from './lease-record.js';

/** The Lease as last read: its record and the resourceVersion an update must match. */
export interface ObservedLease {
  record: LeaderElectionRecord;
  resourceVersion: string;
}

export type LeaseReading = { state: 'absent' } | { state: 'present'; lease: ObservedLease } | { state: 'failed'; message: string };

/** A write's outcome: `lost` is the expected 409 (someone else wrote first), not an error. */
export type LeaseWrite = { state: 'written'; lease: ObservedLease } | { state: 'lost'; message: string } | { state: 'failed'; message: string };

export interface LeaseLock {
  /** `namespace/name`, for logs. */
  readonly describe: string;
  get(): Promise<LeaseReading>;
  create(record: LeaderElectionRecord): Promise<LeaseWrite>;
  /** Compare-and-swap on the resourceVersion read: a Lease changed since then is `lost`. */
  update(record: LeaderElectionRecord, resourceVersion: string): Promise<LeaseWrite>;
}

/**
 * client-go's LeaseLock over the API's in-process writers (docs/leader-election.md § The Lease):
 * every write is validated and versioned as a client's would be, on whichever datastore the API
 * runs on, so several cloudcores sharing one datastore contend for the same object.
 */
export function createLeaseLock(api: ApiContext, namespace: string, name: string): LeaseLock {
  const def = leasesDefinition(api);
  const observed = (lease: KubeObject): LeaseWrite => {
    const reading = readLeaderElectionRecord(lease);
    if (!reading.ok) return { state: 'failed', message: `lease ${namespace}/${name}: ${reading.message}` };
    return { state: 'written', lease: { record: reading.record, resourceVersion: lease.metadata.resourceVersion ?? '' } };
  };
  const writeFailure = (err: unknown): LeaseWrite => {
    if (err instanceof ApiError && (err.status.reason === 'Conflict' || err.status.reason === 'AlreadyExists' || err.status.reason === 'NotFound')) {
      return { state: 'lost', message: err.message };
    }
    return { state: 'failed', message: errorMessage(err) };
  };
  return {
    describe: `${namespace}/${name}`,
    async get() {
      let lease: KubeObject | undefined;
      try {
        lease = await api.objects.get(def, namespace, name);
      } catch (err) {
        return { state: 'failed', message: errorMessage(err) };
      }
      if (lease === undefined) return { state: 'absent' };
      const reading = observed(lease);
      return reading.state === 'written' ? { state: 'present', lease: reading.lease } : { state: 'failed', message: reading.message };
    },
    async create(record) {
      const lease: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: leaseSpecOf(record) };
      try {
        return observed(await createObject(api, def, lease, { dryRun: false }));
      } catch (err) {
        return writeFailure(err);
      }
    },
    async update(record, resourceVersion) {
      try {
        const written = await updateObject(api, def, {
          namespace,
          name,
          subresource: undefined,
          dryRun: false,
          // The resourceVersion read is kept on the object: a newer one is a 409 (update-object.ts).
          mutate: (current) => ({ ...current, metadata: { ...current.metadata, resourceVersion }, spec: leaseSpecOf(record) }),
        });
        return observed(written);
      } catch (err) {
        return writeFailure(err);
      }
    },
  };
}

function leasesDefinition(api: ApiContext): ResourceDefinition {
  const def = api.registry.get('coordination.k8s.io', 'v1', 'leases');
  if (def === undefined) throw new OutpostError('Internal', 'coordination.k8s.io/v1 leases are not served');
  return def;
}
