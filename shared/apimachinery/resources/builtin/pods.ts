import { asObj, objArray, str } from '../../../k8s/object-access.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo } from '../types.js';
import { podTable } from './pod-table.js';

/** core/v1 pods: names, table and selectable fields. */
export function podsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    table: podTable,
    selectableFields(pod) {
      const spec = asObj(pod.spec) ?? {};
      const status = asObj(pod.status) ?? {};
      return {
        'spec.nodeName': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        'spec.serviceAccountName': str(spec.serviceAccountName),
        'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
        'status.phase': str(status.phase),
        'status.podIP': str(objArray(status.podIPs)[0]?.ip) || str(status.podIP),
        'status.nominatedNodeName': str(status.nominatedNodeName),
      };
    },
  });
}
