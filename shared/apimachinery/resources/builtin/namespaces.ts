import { asObj, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** core/v1 namespaces: names, table and selectable fields. */
export function namespacesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    status: true,
    table: {
      columns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
      cells: (ns, now) => [ns.metadata.name ?? '', str(asObj(ns.status)?.phase), ageSince(ns.metadata.creationTimestamp, now)],
    },
    selectableFields: (ns) => ({ 'status.phase': str(asObj(ns.status)?.phase) }),
  });
}
