import {
  mutatingWebhookConfigurationsInfo,
  validatingWebhookConfigurationsInfo,
} from '../../../../shared/apimachinery/resources/builtin/cluster-classes.js';
import type { ResourceInfo } from '../../../../shared/apimachinery/resources/index.js';
import { objArray } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { defaultWebhook, validateWebhooks } from './webhook-validation.js';

function webhookConfigurationResource(info: ResourceInfo, mutating: boolean): ResourceDefinition {
  return defineResource(info, {
    tracksGeneration: true,
    applyDefaults: (cfg) => {
      for (const hook of objArray(cfg.webhooks)) defaultWebhook(hook, mutating);
    },
    validateCreate: (cfg) => [
      ...validateObjectMeta(cfg, { namespaced: false, nameRule: nameIsDNSSubdomain }),
      ...validateWebhooks(cfg.webhooks, mutating),
    ],
  });
}

/**
 * admissionregistration.k8s.io/v1 webhook configurations (cluster-scoped): stored, validated and
 * served so that charts carrying them install; the API server never calls the webhooks (docs/kinds.md).
 */
export const mutatingWebhookConfigurationsResource = (): ResourceDefinition =>
  webhookConfigurationResource(mutatingWebhookConfigurationsInfo(), true);

export const validatingWebhookConfigurationsResource = (): ResourceDefinition =>
  webhookConfigurationResource(validatingWebhookConfigurationsInfo(), false);
