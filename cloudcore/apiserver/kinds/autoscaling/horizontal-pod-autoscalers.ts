import { horizontalPodAutoscalersInfo } from '../../../../shared/apimachinery/resources/builtin/autoscaling.js';
import type { FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { defaultHorizontalPodAutoscalerV1, defaultHorizontalPodAutoscalerV2 } from './hpa-defaults.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion.js';
import { validateHorizontalPodAutoscalerSpecV2 } from './hpa-validation.js';

function validateV2(hpa: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(hpa, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    ...validateHorizontalPodAutoscalerSpecV2(asObj(hpa.spec) ?? {}),
  ];
}

const metaOnly = (hpa: KubeObject): FieldError[] => validateObjectMeta(hpa, { namespaced: true, nameRule: nameIsDNSSubdomain });

/** autoscaling/v2 horizontalpodautoscalers, the stored form: served and validated; no autoscaler acts on them (docs/kinds.md). */
export function horizontalPodAutoscalersV2Resource(): ResourceDefinition {
  return defineResource(horizontalPodAutoscalersInfo('v2'), {
    tracksGeneration: true,
    applyDefaults: defaultHorizontalPodAutoscalerV2,
    prepareForCreate: (hpa) => {
      hpa.status = { desiredReplicas: 0 };
    },
    validateCreate: validateV2,
    validateStatusUpdate: metaOnly,
  });
}

/**
 * autoscaling/v1 horizontalpodautoscalers: the same objects, kept in autoscaling/v2 form and
 * converted on every read and write (docs/kinds.md § One storage, several versions). Validation is
 * that of the v2 form, as Kubernetes validates the internal form; its table is v2's.
 */
export function horizontalPodAutoscalersV1Resource(): ResourceDefinition {
  const v2Info = horizontalPodAutoscalersInfo('v2');
  const info = horizontalPodAutoscalersInfo('v1');
  const v2Cells = v2Info.table.cells;
  return defineResource(
    { ...info, table: { columns: v2Info.table.columns, cells: (hpa, now) => v2Cells(hpaV1ToV2(hpa), now) } },
    {
      storedAs: { group: 'autoscaling', resource: 'horizontalpodautoscalers', fromStorage: hpaV2ToV1, toStorage: hpaV1ToV2 },
      tracksGeneration: true,
      applyDefaults: defaultHorizontalPodAutoscalerV1,
      prepareForCreate: (hpa) => {
        hpa.status = { currentReplicas: 0, desiredReplicas: 0 };
      },
      validateCreate: (hpa) => [...metaOnly(hpa), ...validateHorizontalPodAutoscalerSpecV2(asObj(hpaV1ToV2(hpa).spec) ?? {})],
      validateStatusUpdate: metaOnly,
    },
  );
}
