import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { arrayOf } from '../common/object-access.js';
import { ageColumn, column, nameColumn } from '../common/table-columns.js';
import type { ResourceDefinition } from '../types.js';

/** core/v1 serviceaccounts. */
export function serviceAccountsResource(): ResourceDefinition {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    validateCreate: (sa) => validateObjectMeta(sa, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    table: {
      columns: [nameColumn(), column('Secrets', 'The number of secrets of the service account.', { type: 'integer' }), ageColumn()],
      cells: (sa, now) => [sa.metadata.name ?? '', arrayOf(sa.secrets).length, ageSince(sa.metadata.creationTimestamp, now)],
    },
  });
}
