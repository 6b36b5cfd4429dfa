import { asObj, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** core/v1 secrets: names, table and selectable fields. */
export function secretsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    table: {
      columns: [
        nameColumn(),
        column('Type', 'The type of the secret'),
        column('Data', 'The number of entries in the secret', { type: 'integer' }),
        ageColumn(),
      ],
      cells: (secret, now) => [
        secret.metadata.name ?? '',
        str(secret.type),
        Object.keys(asObj(secret.data) ?? {}).length,
        ageSince(secret.metadata.creationTimestamp, now),
      ],
    },
    selectableFields: (secret) => ({ type: str(secret.type) }),
  });
}
