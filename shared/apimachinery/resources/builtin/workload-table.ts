import type { KubeObject } from '../../../k8s/types.js';
import { formatLabelSelector, readLabelSelector } from '../label-selector-text.js';
import { asObj, num, objArray, str } from '../../../k8s/object-access.js';
import { column } from '../table-columns.js';
import type { TableCell, TableColumn } from '../types.js';

/** The wide CONTAINERS, IMAGES and SELECTOR columns every workload table ends with. */
export function templateColumns(): TableColumn[] {
  return [
    column('Containers', 'Names of each container in the template.', { priority: 1 }),
    column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    column('Selector', 'Label selector for pods.', { priority: 1 }),
  ];
}

export function templateCells(obj: KubeObject): TableCell[] {
  const spec = asObj(obj.spec) ?? {};
  const containers = objArray(asObj(asObj(spec.template)?.spec)?.containers);
  return [
    containers.map((c) => str(c.name)).join(','),
    containers.map((c) => str(c.image)).join(','),
    formatLabelSelector(readLabelSelector(spec.selector)),
  ];
}

export function statusCount(obj: KubeObject, field: string): number {
  return num(asObj(obj.status)?.[field]) ?? 0;
}

export function specReplicas(obj: KubeObject): number {
  return num(asObj(obj.spec)?.replicas) ?? 1;
}
