import { asObj, stringMap } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, formatLabels, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { statusCount, templateCells, templateColumns } from './workload-table.js';

/** apps/v1 daemonsets: names, table and selectable fields. */
export function daemonSetsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
        column('Current', 'The number of nodes running at least one daemon pod and are supposed to.', { type: 'integer' }),
        column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
        column('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
        column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
        column('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (ds, now): TableCell[] => [
        ds.metadata.name ?? '',
        statusCount(ds, 'desiredNumberScheduled'),
        statusCount(ds, 'currentNumberScheduled'),
        statusCount(ds, 'numberReady'),
        statusCount(ds, 'updatedNumberScheduled'),
        statusCount(ds, 'numberAvailable'),
        formatLabels(stringMap(asObj(asObj(asObj(ds.spec)?.template)?.spec)?.nodeSelector)),
        ageSince(ds.metadata.creationTimestamp, now),
        ...templateCells(ds),
      ],
    },
  });
}
