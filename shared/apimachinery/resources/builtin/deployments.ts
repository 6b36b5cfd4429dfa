import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { specReplicas, statusCount, templateCells, templateColumns } from './workload-table.js';

/** apps/v1 deployments: names, table and selectable fields. */
export function deploymentsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    scale: true,
    table: {
      columns: [
        nameColumn(),
        column('Ready', 'Number of the pod with ready state'),
        column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
        column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (d, now): TableCell[] => [
        d.metadata.name ?? '',
        `${statusCount(d, 'readyReplicas')}/${specReplicas(d)}`,
        statusCount(d, 'updatedReplicas'),
        statusCount(d, 'availableReplicas'),
        ageSince(d.metadata.creationTimestamp, now),
        ...templateCells(d),
      ],
    },
  });
}
