import { asObj } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';

/** core/v1 configmaps: names, table and selectable fields. */
export function configMapsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    table: {
      columns: [nameColumn(), column('Data', 'Number of data entries.', { type: 'integer' }), ageColumn()],
      cells: (cm, now) => [
        cm.metadata.name ?? '',
        Object.keys(asObj(cm.data) ?? {}).length + Object.keys(asObj(cm.binaryData) ?? {}).length,
        ageSince(cm.metadata.creationTimestamp, now),
      ],
    },
  });
}
