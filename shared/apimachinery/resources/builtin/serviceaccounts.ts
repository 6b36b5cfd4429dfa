import { arrayOf } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** core/v1 serviceaccounts: names, table and selectable fields. */
export function serviceAccountsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    table: {
      columns: [nameColumn(), column('Secrets', 'The number of secrets of the service account.', { type: 'integer' }), ageColumn()],
      cells: (sa, now) => [sa.metadata.name ?? '', arrayOf(sa.secrets).length, ageSince(sa.metadata.creationTimestamp, now)],
    },
  });
}
