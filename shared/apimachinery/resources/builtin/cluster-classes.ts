import { arrayOf, num, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

/** storage.k8s.io/v1 storageclasses (cluster-scoped); the default class prints as "name (default)". */
export function storageClassesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    table: {
      columns: [
        nameColumn(),
        column('Provisioner', 'Indicates the type of the provisioner.'),
        column('ReclaimPolicy', 'Dynamically provisioned PersistentVolumes of this storage class are created with this reclaimPolicy.'),
        column('VolumeBindingMode', 'VolumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
        column('AllowVolumeExpansion', 'AllowVolumeExpansion shows whether the storage class allow volume expand.', { type: 'boolean' }),
        ageColumn(),
      ],
      cells(sc, now): TableCell[] {
        const annotations = sc.metadata.annotations ?? {};
        const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
        return [
          `${sc.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`,
          str(sc.provisioner),
          str(sc.reclaimPolicy) || 'Delete',
          str(sc.volumeBindingMode) || 'Immediate',
          sc.allowVolumeExpansion === true,
          ageSince(sc.metadata.creationTimestamp, now),
        ];
      },
    },
  });
}

/** scheduling.k8s.io/v1 priorityclasses (cluster-scoped). */
export function priorityClassesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'scheduling.k8s.io',
    version: 'v1',
    resource: 'priorityclasses',
    kind: 'PriorityClass',
    namespaced: false,
    shortNames: ['pc'],
    table: {
      columns: [
        nameColumn(),
        column('Value', "Value is the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.", { type: 'integer' }),
        column('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', { type: 'boolean' }),
        ageColumn(),
        column('PreemptionPolicy', 'PreemptionPolicy is the Policy for preempting pods with lower priority.'),
      ],
      cells: (pc, now): TableCell[] => [
        pc.metadata.name ?? '',
        num(pc.value) ?? 0,
        pc.globalDefault === true,
        ageSince(pc.metadata.creationTimestamp, now),
        str(pc.preemptionPolicy),
      ],
    },
  });
}

/** node.k8s.io/v1 runtimeclasses (cluster-scoped). */
export function runtimeClassesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: 'node.k8s.io',
    version: 'v1',
    resource: 'runtimeclasses',
    kind: 'RuntimeClass',
    namespaced: false,
    table: {
      columns: [nameColumn(), column('Handler', 'Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.'), ageColumn()],
      cells: (rc, now) => [rc.metadata.name ?? '', str(rc.handler), ageSince(rc.metadata.creationTimestamp, now)],
    },
  });
}

function webhookConfigurationInfo(resource: string, kind: string): ResourceInfo {
  return defineResourceInfo({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource,
    kind,
    namespaced: false,
    table: {
      columns: [nameColumn(), column('Webhooks', 'Webhooks indicates the number of webhooks.', { type: 'integer' }), ageColumn()],
      cells: (cfg, now) => [cfg.metadata.name ?? '', arrayOf(cfg.webhooks).length, ageSince(cfg.metadata.creationTimestamp, now)],
    },
  });
}

/** admissionregistration.k8s.io/v1 mutatingwebhookconfigurations (stored, never called: docs/kinds.md). */
export const mutatingWebhookConfigurationsInfo = (): ResourceInfo => webhookConfigurationInfo('mutatingwebhookconfigurations', 'MutatingWebhookConfiguration');

/** admissionregistration.k8s.io/v1 validatingwebhookconfigurations (stored, never called: docs/kinds.md). */
export const validatingWebhookConfigurationsInfo = (): ResourceInfo => webhookConfigurationInfo('validatingwebhookconfigurations', 'ValidatingWebhookConfiguration');

