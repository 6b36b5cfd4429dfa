import type { ResourceInfo } from '../types.js';
import { horizontalPodAutoscalersInfo } from './autoscaling.js';
import { mutatingWebhookConfigurationsInfo, priorityClassesInfo, runtimeClassesInfo, storageClassesInfo, validatingWebhookConfigurationsInfo } from './cluster-classes.js';
import { ingressClassesInfo, ingressesInfo, networkPoliciesInfo } from './networking.js';
import { limitRangesInfo, resourceQuotasInfo } from './quotas.js';
import { persistentVolumeClaimsInfo, persistentVolumesInfo } from './volumes.js';

/**
 * The kinds a typical Helm chart carries beyond workloads (docs/kinds.md), in their storage
 * versions: core group first, then by group.
 */
export function chartKindInfos(): ResourceInfo[] {
  return [
    persistentVolumesInfo(),
    persistentVolumeClaimsInfo(),
    limitRangesInfo(),
    resourceQuotasInfo(),
    ingressesInfo(),
    ingressClassesInfo(),
    networkPoliciesInfo(),
    horizontalPodAutoscalersInfo(),
    storageClassesInfo(),
    priorityClassesInfo(),
    runtimeClassesInfo(),
    mutatingWebhookConfigurationsInfo(),
    validatingWebhookConfigurationsInfo(),
  ];
}
