import type { KubeObject } from '../../../k8s/types.js';
import { arrayOf, asObj, str, type Obj } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const ACCESS_MODE_SHORT: Readonly<Record<string, string>> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** GetAccessModesAsString: the modes present, in Kubernetes' order, abbreviated. */
function accessModesText(modes: unknown): string {
  const present = new Set(arrayOf(modes).map((m) => str(m)));
  return Object.keys(ACCESS_MODE_SHORT).filter((m) => present.has(m)).map((m) => ACCESS_MODE_SHORT[m]).join(',');
}

/** The class from spec.storageClassName, or the beta annotation older objects carry. */
function storageClassOf(obj: KubeObject, spec: Obj): string {
  const annotation = obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return annotation ?? str(spec.storageClassName);
}

function phaseOf(obj: KubeObject): string {
  return obj.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(asObj(obj.status)?.phase);
}

const volumeModeColumn = () => column('VolumeMode', 'The volume mode of the volume.', { priority: 1 });
const attributesClassColumn = () => column('VolumeAttributesClass', 'The VolumeAttributesClass of the volume.');

/** core/v1 persistentvolumes (cluster-scoped). */
export function persistentVolumesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Capacity', 'The capacity of the volume.'),
        column('Access Modes', 'The access modes of the volume.'),
        column('Reclaim Policy', 'What happens to the volume when its claim is released.'),
        column('Status', 'The phase of the volume.'),
        column('Claim', 'The claim bound to the volume.'),
        column('StorageClass', 'The storage class of the volume.'),
        attributesClassColumn(),
        column('Reason', 'Why the volume is in its phase.'),
        ageColumn(),
        volumeModeColumn(),
      ],
      cells(pv, now): TableCell[] {
        const spec = asObj(pv.spec) ?? {};
        const claim = asObj(spec.claimRef);
        return [
          pv.metadata.name ?? '',
          str(asObj(spec.capacity)?.storage),
          accessModesText(spec.accessModes),
          str(spec.persistentVolumeReclaimPolicy),
          phaseOf(pv),
          claim === undefined ? '' : `${str(claim.namespace)}/${str(claim.name)}`,
          storageClassOf(pv, spec),
          str(spec.volumeAttributesClassName) || '<unset>',
          str(asObj(pv.status)?.reason),
          ageSince(pv.metadata.creationTimestamp, now),
          str(spec.volumeMode) || '<unset>',
        ];
      },
    },
  });
}

/** core/v1 persistentvolumeclaims. */
export function persistentVolumeClaimsInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Status', 'The phase of the claim.'),
        column('Volume', 'The volume bound to the claim.'),
        column('Capacity', 'The capacity of the bound volume.'),
        column('Access Modes', 'The access modes of the bound volume.'),
        column('StorageClass', 'The storage class of the claim.'),
        attributesClassColumn(),
        ageColumn(),
        volumeModeColumn(),
      ],
      cells(pvc, now): TableCell[] {
        const spec = asObj(pvc.spec) ?? {};
        const status = asObj(pvc.status) ?? {};
        const bound = str(spec.volumeName) !== '';
        return [
          pvc.metadata.name ?? '',
          phaseOf(pvc),
          str(spec.volumeName),
          bound ? str(asObj(status.capacity)?.storage) : '',
          bound ? accessModesText(status.accessModes) : '',
          storageClassOf(pvc, spec),
          str(spec.volumeAttributesClassName) || '<unset>',
          ageSince(pvc.metadata.creationTimestamp, now),
          str(spec.volumeMode) || '<unset>',
        ];
      },
    },
  });
}
