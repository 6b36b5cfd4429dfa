import { mutatingWebhookConfigurationsResource, validatingWebhookConfigurationsResource } from './admissionregistration/webhook-configurations.js';
import { horizontalPodAutoscalersV1Resource, horizontalPodAutoscalersV2Resource } from './autoscaling/horizontal-pod-autoscalers.js';
import { limitRangesResource } from './core/limit-ranges.js';
import { persistentVolumeClaimsResource } from './core/persistent-volume-claims.js';
import { persistentVolumesResource } from './core/persistent-volumes.js';
import { resourceQuotasResource } from './core/resource-quotas.js';
import { eventsV1Resource } from './events/events-v1.js';
import { ingressClassesResource } from './networking/ingress-classes.js';
import { ingressesResource } from './networking/ingresses.js';
import { networkPoliciesResource } from './networking/network-policies.js';
import { runtimeClassesResource } from './node/runtime-classes.js';
import { priorityClassesResource } from './scheduling/priority-classes.js';
import { storageClassesResource } from './storage/storage-classes.js';
import type { ResourceDefinition } from './types.js';

/**
 * The kinds a typical Helm chart carries beyond workloads (docs/kinds.md): stored, validated and
 * served. autoscaling/v2 comes before v1, so discovery prefers it, as Kubernetes does.
 */
export function chartResources(): ResourceDefinition[] {
  return [
    persistentVolumesResource(),
    persistentVolumeClaimsResource(),
    limitRangesResource(),
    resourceQuotasResource(),
    ingressesResource(),
    ingressClassesResource(),
    networkPoliciesResource(),
    horizontalPodAutoscalersV2Resource(),
    horizontalPodAutoscalersV1Resource(),
    storageClassesResource(),
    priorityClassesResource(),
    runtimeClassesResource(),
    eventsV1Resource(),
    mutatingWebhookConfigurationsResource(),
    validatingWebhookConfigurationsResource(),
  ];
}
