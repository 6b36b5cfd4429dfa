import { boolField, int32Field, int64Field, message, messageField, repeatedMessages, repeatedStrings, stringField, stringMap, type MessageType } from './descriptor.js';
import { CORE, inlined, LocalObjectReference, ObjectFieldSelector, ResourceFieldSelector } from './container-messages.js';
import { LabelSelector, Quantity } from './meta-messages.js';

/**
 * k8s.io/api/core/v1 generated.proto: a pod's Volume and its sources, with their real field
 * numbers. The in-tree cloud and SAN plugins Kubernetes has removed or deprecated (iSCSI, RBD,
 * Glusterfs, Quobyte, ScaleIO, StorageOS, Portworx, Photon, Flocker) and generic ephemeral volumes
 * are not decoded: a pod that uses one is refused as 415 with the field named (docs/kubectl.md
 * § Protobuf bodies).
 */
const ptr = { pointer: true };

const KeyToPath = message(`${CORE}.KeyToPath`, { 1: stringField('key'), 2: stringField('path'), 3: int32Field('mode', ptr) });

const HostPathVolumeSource = message(`${CORE}.HostPathVolumeSource`, { 1: stringField('path'), 2: stringField('type', ptr) });

const EmptyDirVolumeSource = message(`${CORE}.EmptyDirVolumeSource`, { 1: stringField('medium'), 2: messageField('sizeLimit', Quantity) });

const SecretVolumeSource = message(`${CORE}.SecretVolumeSource`, {
  1: stringField('secretName'),
  2: repeatedMessages('items', KeyToPath),
  3: int32Field('defaultMode', ptr),
  4: boolField('optional', ptr),
});

/** ConfigMapVolumeSource embeds its LocalObjectReference (1) inline: `name` sits beside `items`. */
const ConfigMapVolumeSource = message(
  `${CORE}.ConfigMapVolumeSource`,
  { 1: messageField('localObjectReference', LocalObjectReference), 2: repeatedMessages('items', KeyToPath), 3: int32Field('defaultMode', ptr), 4: boolField('optional', ptr) },
  inlined('localObjectReference'),
);

const DownwardAPIVolumeFile = message(`${CORE}.DownwardAPIVolumeFile`, {
  1: stringField('path'),
  2: messageField('fieldRef', ObjectFieldSelector),
  3: messageField('resourceFieldRef', ResourceFieldSelector),
  4: int32Field('mode', ptr),
});

const DownwardAPIVolumeSource = message(`${CORE}.DownwardAPIVolumeSource`, { 1: repeatedMessages('items', DownwardAPIVolumeFile), 2: int32Field('defaultMode', ptr) });

function keyProjection(kind: string): MessageType {
  return message(
    `${CORE}.${kind}Projection`,
    { 1: messageField('localObjectReference', LocalObjectReference), 2: repeatedMessages('items', KeyToPath), 4: boolField('optional', ptr) },
    inlined('localObjectReference'),
  );
}

const ServiceAccountTokenProjection = message(`${CORE}.ServiceAccountTokenProjection`, {
  1: stringField('audience'),
  2: int64Field('expirationSeconds', ptr),
  3: stringField('path'),
});

const ClusterTrustBundleProjection = message(`${CORE}.ClusterTrustBundleProjection`, {
  1: stringField('name', ptr),
  2: stringField('signerName', ptr),
  3: messageField('labelSelector', LabelSelector),
  4: boolField('optional', ptr),
  5: stringField('path'),
});

const VolumeProjection = message(`${CORE}.VolumeProjection`, {
  1: messageField('secret', keyProjection('Secret')),
  2: messageField('downwardAPI', message(`${CORE}.DownwardAPIProjection`, { 1: repeatedMessages('items', DownwardAPIVolumeFile) })),
  3: messageField('configMap', keyProjection('ConfigMap')),
  4: messageField('serviceAccountToken', ServiceAccountTokenProjection),
  5: messageField('clusterTrustBundle', ClusterTrustBundleProjection),
});

const ProjectedVolumeSource = message(`${CORE}.ProjectedVolumeSource`, { 1: repeatedMessages('sources', VolumeProjection), 2: int32Field('defaultMode', ptr) });

const PersistentVolumeClaimVolumeSource = message(`${CORE}.PersistentVolumeClaimVolumeSource`, { 1: stringField('claimName'), 2: boolField('readOnly') });

const NFSVolumeSource = message(`${CORE}.NFSVolumeSource`, { 1: stringField('server'), 2: stringField('path'), 3: boolField('readOnly') });

const CSIVolumeSource = message(`${CORE}.CSIVolumeSource`, {
  1: stringField('driver'),
  2: boolField('readOnly', ptr),
  3: stringField('fsType', ptr),
  4: stringMap('volumeAttributes'),
  5: messageField('nodePublishSecretRef', LocalObjectReference),
});

const ImageVolumeSource = message(`${CORE}.ImageVolumeSource`, { 1: stringField('reference'), 2: stringField('pullPolicy') });

const GitRepoVolumeSource = message(`${CORE}.GitRepoVolumeSource`, { 1: stringField('repository'), 2: stringField('revision'), 3: stringField('directory') });

const GCEPersistentDiskVolumeSource = message(`${CORE}.GCEPersistentDiskVolumeSource`, {
  1: stringField('pdName'),
  2: stringField('fsType'),
  3: int32Field('partition'),
  4: boolField('readOnly'),
});

const AWSElasticBlockStoreVolumeSource = message(`${CORE}.AWSElasticBlockStoreVolumeSource`, {
  1: stringField('volumeID'),
  2: stringField('fsType'),
  3: int32Field('partition'),
  4: boolField('readOnly'),
});

const AzureFileVolumeSource = message(`${CORE}.AzureFileVolumeSource`, { 1: stringField('secretName'), 2: stringField('shareName'), 3: boolField('readOnly') });

const AzureDiskVolumeSource = message(`${CORE}.AzureDiskVolumeSource`, {
  1: stringField('diskName'),
  2: stringField('diskURI'),
  3: stringField('cachingMode', ptr),
  4: stringField('fsType', ptr),
  5: boolField('readOnly', ptr),
  6: stringField('kind', ptr),
});

const CephFSVolumeSource = message(`${CORE}.CephFSVolumeSource`, {
  1: repeatedStrings('monitors'),
  2: stringField('path'),
  3: stringField('user'),
  4: stringField('secretFile'),
  5: messageField('secretRef', LocalObjectReference),
  6: boolField('readOnly'),
});

const CinderVolumeSource = message(`${CORE}.CinderVolumeSource`, {
  1: stringField('volumeID'),
  2: stringField('fsType'),
  3: boolField('readOnly'),
  4: messageField('secretRef', LocalObjectReference),
});

const FCVolumeSource = message(`${CORE}.FCVolumeSource`, {
  1: repeatedStrings('targetWWNs'),
  2: int32Field('lun', ptr),
  3: stringField('fsType'),
  4: boolField('readOnly'),
  5: repeatedStrings('wwids'),
});

const FlexVolumeSource = message(`${CORE}.FlexVolumeSource`, {
  1: stringField('driver'),
  2: stringField('fsType'),
  3: messageField('secretRef', LocalObjectReference),
  4: boolField('readOnly'),
  5: stringMap('options'),
});

const VsphereVirtualDiskVolumeSource = message(`${CORE}.VsphereVirtualDiskVolumeSource`, {
  1: stringField('volumePath'),
  2: stringField('fsType'),
  3: stringField('storagePolicyName'),
  4: stringField('storagePolicyID'),
});

const VolumeSource = message(`${CORE}.VolumeSource`, {
  1: messageField('hostPath', HostPathVolumeSource),
  2: messageField('emptyDir', EmptyDirVolumeSource),
  3: messageField('gcePersistentDisk', GCEPersistentDiskVolumeSource),
  4: messageField('awsElasticBlockStore', AWSElasticBlockStoreVolumeSource),
  5: messageField('gitRepo', GitRepoVolumeSource),
  6: messageField('secret', SecretVolumeSource),
  7: messageField('nfs', NFSVolumeSource),
  10: messageField('persistentVolumeClaim', PersistentVolumeClaimVolumeSource),
  12: messageField('flexVolume', FlexVolumeSource),
  13: messageField('cinder', CinderVolumeSource),
  14: messageField('cephfs', CephFSVolumeSource),
  16: messageField('downwardAPI', DownwardAPIVolumeSource),
  17: messageField('fc', FCVolumeSource),
  18: messageField('azureFile', AzureFileVolumeSource),
  19: messageField('configMap', ConfigMapVolumeSource),
  20: messageField('vsphereVolume', VsphereVirtualDiskVolumeSource),
  22: messageField('azureDisk', AzureDiskVolumeSource),
  26: messageField('projected', ProjectedVolumeSource),
  28: messageField('csi', CSIVolumeSource),
  30: messageField('image', ImageVolumeSource),
});

/** Volume embeds its VolumeSource (2) inline: `hostPath`, `configMap`, … sit beside `name`. */
export const Volume = message(`${CORE}.Volume`, { 1: stringField('name'), 2: messageField('volumeSource', VolumeSource) }, inlined('volumeSource'));
