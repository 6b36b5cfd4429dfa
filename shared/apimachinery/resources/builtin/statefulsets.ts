import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { specReplicas, statusCount, templateCells, templateColumns } from './workload-table.js';

/** apps/v1 statefulsets: names, table (NAME READY AGE, wide CONTAINERS IMAGES) and subresources. */
export function statefulSetsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
    scale: true,
    table: {
      columns: [
        nameColumn(),
        column('Ready', 'Number of the pod with ready state'),
        ageColumn(),
        // Kubernetes' StatefulSet table has no SELECTOR column, only CONTAINERS and IMAGES.
        ...templateColumns().slice(0, 2),
      ],
      cells: (sts, now): TableCell[] => [
        sts.metadata.name ?? '',
        `${statusCount(sts, 'readyReplicas')}/${specReplicas(sts)}`,
        ageSince(sts.metadata.creationTimestamp, now),
        ...templateCells(sts).slice(0, 2),
      ],
    },
  });
}
