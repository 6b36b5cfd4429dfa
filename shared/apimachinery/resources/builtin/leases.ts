import { asObj, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** coordination/v1 leases: names, table and selectable fields. */
export function leasesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
    table: {
      columns: [nameColumn(), column('Holder', 'The holder of the lease.'), ageColumn()],
      cells: (lease, now) => [lease.metadata.name ?? '', str(asObj(lease.spec)?.holderIdentity), ageSince(lease.metadata.creationTimestamp, now)],
    },
  });
}
