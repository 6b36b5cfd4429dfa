import { persistentVolumesInfo } from '../../../../shared/apimachinery/resources/builtin/volumes.js';
import { forbidden, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { equalJson } from '../../../../shared/json/index.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import type { NameValidator } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateQuantityMap } from './quantity-fields.js';
import { validateAccessModes, validateVolumeMode } from './volume-access.js';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** The PersistentVolumeSource members: exactly one is set. */
const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume',
  'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
];

/** The fields each of the common sources requires. */
const SOURCE_REQUIRED: Readonly<Record<string, string[]>> = {
  hostPath: ['path'], local: ['path'], nfs: ['server', 'path'], csi: ['driver', 'volumeHandle'], iscsi: ['targetPortal', 'iqn'],
};

/** ValidatePersistentVolumeName: a path segment. */
const pathSegmentName: NameValidator = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
};

function sourceOf(spec: Obj): Obj {
  const source: Obj = {};
  for (const key of VOLUME_SOURCES) if (spec[key] !== undefined) source[key] = spec[key];
  return source;
}

function validateSource(spec: Obj): FieldError[] {
  const present = Object.keys(sourceOf(spec));
  if (present.length === 0) return [required('spec', 'must specify a volume type')];
  const errs: FieldError[] = [];
  if (present.length > 1) errs.push(forbidden(`spec.${present[1] ?? ''}`, 'may not specify more than 1 volume type'));
  const kind = present[0] ?? '';
  const source = asObj(spec[kind]) ?? {};
  for (const field of SOURCE_REQUIRED[kind] ?? []) if (str(source[field]) === '') errs.push(required(`spec.${kind}.${field}`));
  if (kind === 'local' && spec.nodeAffinity === undefined) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errs;
}

function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const spec = asObj(pv.spec) ?? {};
  const errs = validateObjectMeta(pv, { namespaced: false, nameRule: pathSegmentName });
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  const capacity = asObj(spec.capacity) ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  for (const key of Object.keys(capacity)) if (key !== 'storage') errs.push(notSupported('spec.capacity', key, ['storage']));
  errs.push(...validateQuantityMap(capacity, 'spec.capacity'));
  const policy = str(spec.persistentVolumeReclaimPolicy);
  if (!RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  errs.push(...validateVolumeMode(spec.volumeMode, 'spec.volumeMode'));
  errs.push(...validateSource(spec));
  return errs;
}

/** ValidatePersistentVolumeUpdate: the volume source and the volume mode never change. */
function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObj(pv.spec) ?? {};
  const oldSpec = asObj(old.spec) ?? {};
  const errs = validatePersistentVolume(pv);
  if (!equalJson(sourceOf(spec), sourceOf(oldSpec))) errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  errs.push(...validateImmutable(spec.volumeMode, oldSpec.volumeMode, 'spec.volumeMode'));
  if (oldSpec.nodeAffinity !== undefined) errs.push(...validateImmutable(spec.nodeAffinity, oldSpec.nodeAffinity, 'nodeAffinity'));
  return errs;
}

/** core/v1 persistentvolumes (cluster-scoped): stored and served; no provisioner or binder acts on them (docs/kinds.md). */
export function persistentVolumesResource(): ResourceDefinition {
  return defineResource(persistentVolumesInfo(), {
    applyDefaults: (pv) => {
      // SetDefaults_PersistentVolume.
      const spec = childObj(pv, 'spec');
      if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
      if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
    },
    prepareForCreate: (pv) => {
      // A new volume is Pending since the moment it was created (PersistentVolumeLastPhaseTransitionTime).
      const created = pv.metadata.creationTimestamp;
      pv.status = created === undefined ? { phase: 'Pending' } : { phase: 'Pending', lastPhaseTransitionTime: created };
    },
    validateCreate: validatePersistentVolume,
    validateUpdate: validatePersistentVolumeUpdate,
    validateStatusUpdate: (pv) => {
      const phase = str(asObj(pv.status)?.phase);
      const phases = ['Available', 'Bound', 'Failed', 'Pending', 'Released'];
      return phase === '' || phases.includes(phase) ? [] : [notSupported('status.phase', phase, phases)];
    },
  });
}
