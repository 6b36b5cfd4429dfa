import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create } from '../common/test-helpers.js';
import { BEHAVIOR_ANNOTATION, hpaV1ToV2, hpaV2ToV1, METRICS_ANNOTATION } from './hpa-conversion.js';
import { horizontalPodAutoscalersV1Resource, horizontalPodAutoscalersV2Resource } from './horizontal-pod-autoscalers.js';

const now = new Date('2025-01-01T00:10:00Z');
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

function hpa(apiVersion: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec };
}

describe('autoscaling/v2 horizontal pod autoscalers', () => {
  const v2 = horizontalPodAutoscalersV2Resource();

  it('defaults minReplicas, the 80% CPU metric and a given behavior', () => {
    const { obj, errors } = create(v2, hpa('autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 4, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      scaleTargetRef: ref,
      maxReplicas: 4,
      minReplicas: 1,
      metrics: [cpu(80)],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      },
    });
    expect(obj.status).toEqual({ desiredReplicas: 0 });
    expect(v2.table.cells(obj, now)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 4, 0, '10m']);
  });

  it('validates replicas, then the reference, then metrics and behavior', () => {
    expect(create(v2, hpa('autoscaling/v2', { scaleTargetRef: { kind: 'Deployment' }, minReplicas: 0, maxReplicas: 0 })).errors).toEqual([
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
      'spec.scaleTargetRef.name: Required value',
    ]);
    expect(create(v2, hpa('autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }, { type: 'Pods', resource: {} }] })).errors).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
      'spec.metrics[1].pods: Required value: must populate information for the given metric source',
      'spec.metrics[1].resource: Forbidden: must populate the given metric source only',
    ]);
    expect(create(v2, hpa('autoscaling/v2', { scaleTargetRef: ref, maxReplicas: 2, behavior: { scaleUp: { selectPolicy: 'Most', policies: [{ type: 'Pods', value: 0, periodSeconds: 1801 }] } } })).errors).toEqual([
      'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800',
    ]);
  });
});

describe('autoscaling/v1 ⇄ autoscaling/v2', () => {
  const v1 = horizontalPodAutoscalersV1Resource();

  it('stores v1 objects in the v2 form: targetCPUUtilizationPercentage is the cpu metric', () => {
    const { obj, errors } = create(v1, hpa('autoscaling/v1', { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ scaleTargetRef: ref, maxReplicas: 3, minReplicas: 1, targetCPUUtilizationPercentage: 50 });
    const stored = v1.storedAs?.toStorage(obj);
    expect(stored?.apiVersion).toBe('autoscaling/v2');
    expect(stored?.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, metrics: [cpu(50)] });
    expect(v1.table.cells(obj, now)[2]).toBe('cpu: <unknown>/50%');
  });

  it('keeps what v1 cannot say in annotations, so a v1 round trip loses nothing', () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
    const behavior = {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 30 }] },
      scaleDown: { stabilizationWindowSeconds: 30, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    };
    const stored: KubeObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
      spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 6, metrics: [cpu(60), memory], behavior },
      status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }], conditions: [{ type: 'AbleToScale', status: 'True' }] },
    };
    const asV1 = hpaV2ToV1(stored);
    expect(asV1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 60 });
    expect(asV1.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 42 });
    expect(JSON.parse(asV1.metadata.annotations?.[METRICS_ANNOTATION] ?? '')).toEqual([memory]);
    expect(asV1.metadata.resourceVersion).toBe('7');
    const back = hpaV1ToV2(asV1);
    expect(back.spec).toEqual(stored.spec);
    expect(back.status).toEqual(stored.status);
    expect(back.metadata.annotations).toBeUndefined();
  });

  it('ignores a conversion annotation that is not what it should be', () => {
    const v1Object: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', annotations: { [BEHAVIOR_ANNOTATION]: '{not json', [METRICS_ANNOTATION]: '{"a":1}' } }, spec: { scaleTargetRef: ref, maxReplicas: 2 } };
    expect(hpaV1ToV2(v1Object).spec).toEqual({ scaleTargetRef: ref, maxReplicas: 2, minReplicas: 1, metrics: [cpu(80)] });
  });
});
