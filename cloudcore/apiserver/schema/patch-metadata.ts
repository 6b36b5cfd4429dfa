/**
 * Strategic-merge-patch and server-side-apply metadata of the built-in types, keyed "Type.field".
 * These are facts of the Kubernetes Go types (k8s.io/api struct tags `patchStrategy`,
 * `patchMergeKey` and the `+listType` / `+listMapKey` markers), which the generated field table
 * does not carry. Lists not named here are atomic: strategic merge patch replaces them whole.
 */
export interface FieldPatchMeta {
  /** x-kubernetes-patch-strategy: 'merge', 'retainKeys', 'merge,retainKeys'. */
  strategy?: string;
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

/** A list merged by `key` (patchStrategy merge), listType map keyed by `mapKeys` (default: key). */
function mergeBy(key: string, ...mapKeys: string[]): FieldPatchMeta {
  return { strategy: 'merge', mergeKey: key, listType: 'map', listMapKeys: mapKeys.length > 0 ? mapKeys : [key] };
}

/** A list merged by `key` whose server-side-apply list type is atomic (keys may repeat). */
function mergeByAtomic(key: string): FieldPatchMeta {
  return { strategy: 'merge', mergeKey: key, listType: 'atomic' };
}

const conditionsByType = mergeBy('type');
const setOfScalars: FieldPatchMeta = { strategy: 'merge', listType: 'set' };
const listMap = (...keys: string[]): FieldPatchMeta => ({ listType: 'map', listMapKeys: keys });

/** Containers and ephemeral containers share these list fields. */
function containerLists(type: string): Record<string, FieldPatchMeta> {
  return {
    [`${type}.ports`]: mergeBy('containerPort', 'containerPort', 'protocol'),
    [`${type}.env`]: mergeBy('name'),
    [`${type}.volumeMounts`]: mergeBy('mountPath'),
    [`${type}.volumeDevices`]: mergeBy('devicePath'),
  };
}

export const PATCH_METADATA: Readonly<Record<string, FieldPatchMeta>> = {
  // meta/v1
  'ObjectMeta.finalizers': setOfScalars,
  'ObjectMeta.ownerReferences': mergeBy('uid'),

  // core/v1 Pod
  'PodSpec.volumes': { ...mergeBy('name'), strategy: 'merge,retainKeys' },
  'PodSpec.initContainers': mergeBy('name'),
  'PodSpec.containers': mergeBy('name'),
  'PodSpec.ephemeralContainers': mergeBy('name'),
  'PodSpec.imagePullSecrets': mergeBy('name'),
  'PodSpec.hostAliases': mergeBy('ip'),
  'PodSpec.topologySpreadConstraints': mergeBy('topologyKey', 'topologyKey', 'whenUnsatisfiable'),
  'PodSpec.schedulingGates': mergeBy('name'),
  'PodSpec.resourceClaims': { ...mergeBy('name'), strategy: 'merge,retainKeys' },
  ...containerLists('Container'),
  ...containerLists('EphemeralContainer'),
  'ResourceRequirements.claims': listMap('name'),
  'PodStatus.conditions': conditionsByType,
  'PodStatus.podIPs': mergeByAtomic('ip'),
  'PodStatus.hostIPs': mergeByAtomic('ip'),
  'PodStatus.resourceClaimStatuses': { ...mergeBy('name'), strategy: 'merge,retainKeys' },
  'ContainerStatus.volumeMounts': mergeBy('mountPath'),
  'ContainerStatus.allocatedResourcesStatus': mergeBy('name'),
  'ResourceStatus.resources': listMap('resourceID'),

  // core/v1 Node, Namespace, Service, ServiceAccount, PersistentVolumeClaim
  'NodeSpec.podCIDRs': setOfScalars,
  'NodeStatus.conditions': conditionsByType,
  'NodeStatus.addresses': mergeByAtomic('type'),
  'NamespaceStatus.conditions': conditionsByType,
  'ServiceSpec.ports': mergeBy('port', 'port', 'protocol'),
  'ServiceStatus.conditions': conditionsByType,
  'ServiceAccount.secrets': mergeByAtomic('name'),
  'PersistentVolumeClaimStatus.conditions': conditionsByType,
  // Endpoints' subsets, addresses and ports are atomic lists in the Go types.
  'ReplicationControllerStatus.conditions': conditionsByType,

  // policy/v1
  'PodDisruptionBudgetStatus.conditions': conditionsByType,

  // apps/v1
  'DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'DeploymentStatus.conditions': conditionsByType,
  'ReplicaSetStatus.conditions': conditionsByType,
  'DaemonSetStatus.conditions': conditionsByType,
  'StatefulSetStatus.conditions': conditionsByType,

  // batch/v1
  'JobStatus.conditions': mergeByAtomic('type'),
  'UncountedTerminatedPods.succeeded': { listType: 'set' },
  'UncountedTerminatedPods.failed': { listType: 'set' },

  // apiextensions.k8s.io/v1
  'CustomResourceDefinitionStatus.conditions': listMap('type'),

  // The kinds of docs/kinds.md: their other lists are atomic.
  'HorizontalPodAutoscalerStatus.conditions': conditionsByType,
  'MutatingWebhookConfiguration.webhooks': mergeBy('name'),
  'ValidatingWebhookConfiguration.webhooks': mergeBy('name'),
};
