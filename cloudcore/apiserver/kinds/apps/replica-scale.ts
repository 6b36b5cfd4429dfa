import { formatLabelSelector, readLabelSelector } from '../../../../shared/apimachinery/resources/label-selector-text.js';
import { asObj, childObj, num } from '../../../../shared/k8s/object-access.js';
import type { ScaleSpec } from '../types.js';
import { specReplicas } from '../../../../shared/apimachinery/resources/builtin/workload-table.js';

/** The scale subresource of Deployments and ReplicaSets: spec.replicas, status.replicas, the selector. */
export const replicaScale: ScaleSpec = {
  specReplicas,
  statusReplicas: (obj) => num(asObj(obj.status)?.replicas) ?? 0,
  selector: (obj) => formatLabelSelector(readLabelSelector(asObj(obj.spec)?.selector)),
  setSpecReplicas(obj, replicas) {
    childObj(obj, 'spec').replicas = replicas;
  },
};
