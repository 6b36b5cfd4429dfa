import { asObj, objArray, str, stringMap } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, formatLabels, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';
import { specReplicas, statusCount, templateColumns } from './workload-table.js';

/** core/v1 replicationcontrollers: names, table and selectable fields (the selector is a plain label map). */
export function replicationControllersInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
        column('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
        column('Ready', 'The number of ready replicas for this replication controller.', { type: 'integer' }),
        ageColumn(),
        ...templateColumns(),
      ],
      cells: (rc, now): TableCell[] => {
        const spec = asObj(rc.spec) ?? {};
        const containers = objArray(asObj(asObj(spec.template)?.spec)?.containers);
        return [
          rc.metadata.name ?? '',
          specReplicas(rc),
          statusCount(rc, 'replicas'),
          statusCount(rc, 'readyReplicas'),
          ageSince(rc.metadata.creationTimestamp, now),
          containers.map((c) => str(c.name)).join(','),
          containers.map((c) => str(c.image)).join(','),
          formatLabels(stringMap(spec.selector)),
        ];
      },
    },
  });
}
