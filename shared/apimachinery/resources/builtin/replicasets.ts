import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { specReplicas, statusCount, templateCells, templateColumns } from './workload-table.js';

/** apps/v1 replicasets: names, table and selectable fields. */
export function replicaSetsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: true,
    table: {
      columns: [
        nameColumn(),
        column('Desired', 'Number of desired pods.', { type: 'integer' }),
        column('Current', 'Number of actual pods.', { type: 'integer' }),
        column('Ready', 'Number of pods ready.', { type: 'integer' }),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (rs, now): TableCell[] => [
        rs.metadata.name ?? '',
        specReplicas(rs),
        statusCount(rs, 'replicas'),
        statusCount(rs, 'readyReplicas'),
        ageSince(rs.metadata.creationTimestamp, now),
        ...templateCells(rs),
      ],
    },
    selectableFields: (rs) => ({ 'status.replicas': String(statusCount(rs, 'replicas')) }),
  });
}
