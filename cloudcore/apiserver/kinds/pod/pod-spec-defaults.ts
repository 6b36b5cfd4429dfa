import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, defaultField, objArray, type Obj } from '../../../../shared/k8s/object-access.js';
import { copyLimitsToRequests, defaultContainer, defaultFieldRef } from './container-defaults.js';

/** Volume sources with a defaultMode of 0644 (420) in SetDefaults_*VolumeSource. */
const MODE_DEFAULTED_SOURCES = ['secret', 'configMap', 'downwardAPI', 'projected'];

/** Volume source fields, in the order validateVolumeSource checks them (the first one counts). */
export const VOLUME_SOURCES = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi', 'glusterfs', 'flocker',
  'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'downwardAPI', 'fc', 'flexVolume', 'configMap', 'azureFile', 'vsphereVolume',
  'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'projected', 'storageos', 'csi', 'ephemeral', 'image',
];

function defaultVolume(volume: Obj): void {
  // SetDefaults_Volume: a volume with no source is an emptyDir.
  if (!VOLUME_SOURCES.some((s) => volume[s] !== undefined && volume[s] !== null)) volume.emptyDir = {};
  for (const source of MODE_DEFAULTED_SOURCES) {
    const src = asObj(volume[source]);
    if (src !== undefined && (src.defaultMode === undefined || src.defaultMode === null)) src.defaultMode = 420;
  }
  const hostPath = asObj(volume.hostPath);
  if (hostPath !== undefined && hostPath.type === undefined) hostPath.type = '';
  for (const item of objArray(asObj(volume.downwardAPI)?.items)) defaultFieldRef(item);
  for (const projection of objArray(asObj(volume.projected)?.sources)) {
    for (const item of objArray(asObj(projection.downwardAPI)?.items)) defaultFieldRef(item);
    const token = asObj(projection.serviceAccountToken);
    if (token !== undefined && token.expirationSeconds === undefined) token.expirationSeconds = 3600;
  }
}

function allContainers(spec: Obj): Obj[] {
  return [...objArray(spec.initContainers), ...objArray(spec.containers), ...objArray(spec.ephemeralContainers)];
}

/** SetDefaults_PodSpec and what nests in it; used for pods and every pod template. */
export function defaultPodSpec(spec: Obj): void {
  defaultField(spec, 'dnsPolicy', 'ClusterFirst');
  defaultField(spec, 'restartPolicy', 'Always');
  if (asObj(spec.securityContext) === undefined) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  defaultField(spec, 'schedulerName', 'default-scheduler');
  for (const container of allContainers(spec)) defaultContainer(container);
  for (const volume of objArray(spec.volumes)) defaultVolume(volume);
  // v1 conversion keeps the deprecated serviceAccount field in step with serviceAccountName.
  if ((spec.serviceAccountName === undefined || spec.serviceAccountName === '') && typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') spec.serviceAccount = spec.serviceAccountName;
}

/** SetDefaults_Pod: what applies to Pod objects but not to templates. */
export function defaultPod(pod: KubeObject): void {
  const spec = childObj(pod, 'spec');
  defaultPodSpec(spec);
  for (const c of [...objArray(spec.containers), ...objArray(spec.initContainers)]) copyLimitsToRequests(c);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const c of [...objArray(spec.containers), ...objArray(spec.initContainers)]) {
      for (const port of objArray(c.ports)) if (port.hostPort === undefined || port.hostPort === 0) port.hostPort = port.containerPort;
    }
  }
}

/** Defaults spec.template.spec of a workload, when there is a template. */
export function defaultTemplate(owner: KubeObject): void {
  const spec = asObj(owner.spec);
  const template = asObj(spec?.template);
  if (template === undefined) return;
  defaultPodSpec(childObj(template, 'spec'));
}
