import { z } from 'zod';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, num, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { stringifyJson } from '../../../../shared/json/index.js';
import { cpuUtilizationMetric, defaultHorizontalPodAutoscalerV2 } from './hpa-defaults.js';

/**
 * autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler, as Kubernetes converts them
 * (docs/kinds.md § HorizontalPodAutoscaler versions): v1's targetCPUUtilizationPercentage is v2's
 * Resource metric `cpu` with a Utilization target, and what v1 has no field for (other metrics,
 * behavior, conditions, other current metrics) rides in annotations, so that a v1 round trip
 * loses nothing.
 */
export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const ANNOTATIONS = [METRICS_ANNOTATION, BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, CURRENT_METRICS_ANNOTATION];

function isCpuUtilization(metric: Obj): boolean {
  const resource = asObj(metric.resource);
  return str(metric.type) === 'Resource' && str(resource?.name) === 'cpu' && str(asObj(resource?.target)?.type) === 'Utilization';
}

function isCpuCurrent(metric: Obj): boolean {
  const resource = asObj(metric.resource);
  return str(metric.type) === 'Resource' && str(resource?.name) === 'cpu' && num(asObj(resource?.current)?.averageUtilization) !== undefined;
}

/** An annotation's JSON text, read through zod: annotations are user input (docs/kinds.md). */
const jsonText = z.string().transform((text, ctx): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'not JSON' });
    return z.NEVER;
  }
});
const objectList = jsonText.pipe(z.array(z.record(z.string(), z.unknown())));
const object = jsonText.pipe(z.record(z.string(), z.unknown()));

/** The annotation's value in the expected shape; one that is not (hand-edited) converts to nothing. */
function parseAnnotation<T>(annotations: Record<string, string>, key: string, schema: z.ZodType<T>): T | undefined {
  const parsed = schema.safeParse(annotations[key]);
  return parsed.success ? parsed.data : undefined;
}

function withoutConversionAnnotations(meta: KubeObject['metadata']): KubeObject['metadata'] {
  const annotations = { ...(meta.annotations ?? {}) };
  for (const key of ANNOTATIONS) delete annotations[key];
  const { annotations: _dropped, ...rest } = meta;
  return Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
}

/** autoscaling/v2 (the stored form) → autoscaling/v1. */
export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const spec = asObj(v2.spec) ?? {};
  const status = asObj(v2.status);
  const metrics = objArray(spec.metrics);
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const annotations: Record<string, string> = { ...(v2.metadata.annotations ?? {}) };
  if (others.length > 0) annotations[METRICS_ANNOTATION] = stringifyJson(others);
  if (spec.behavior !== undefined) annotations[BEHAVIOR_ANNOTATION] = stringifyJson(spec.behavior);
  const v1Spec: Obj = { scaleTargetRef: spec.scaleTargetRef };
  if (spec.minReplicas !== undefined) v1Spec.minReplicas = spec.minReplicas;
  v1Spec.maxReplicas = spec.maxReplicas;
  const cpuTarget = num(asObj(asObj(cpu?.resource)?.target)?.averageUtilization);
  if (cpuTarget !== undefined) v1Spec.targetCPUUtilizationPercentage = cpuTarget;
  const out: KubeObject = { ...v2, apiVersion: 'autoscaling/v1', metadata: { ...v2.metadata }, spec: v1Spec };
  if (status !== undefined) {
    const current = objArray(status.currentMetrics);
    const cpuCurrent = current.find(isCpuCurrent);
    const otherCurrent = current.filter((m) => m !== cpuCurrent);
    if (otherCurrent.length > 0) annotations[CURRENT_METRICS_ANNOTATION] = stringifyJson(otherCurrent);
    if (objArray(status.conditions).length > 0) annotations[CONDITIONS_ANNOTATION] = stringifyJson(status.conditions);
    const v1Status: Obj = {};
    if (status.observedGeneration !== undefined) v1Status.observedGeneration = status.observedGeneration;
    if (status.lastScaleTime !== undefined) v1Status.lastScaleTime = status.lastScaleTime;
    v1Status.currentReplicas = num(status.currentReplicas) ?? 0;
    v1Status.desiredReplicas = num(status.desiredReplicas) ?? 0;
    const utilization = num(asObj(asObj(cpuCurrent?.resource)?.current)?.averageUtilization);
    if (utilization !== undefined) v1Status.currentCPUUtilizationPercentage = utilization;
    out.status = v1Status;
  }
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  return out;
}

/** autoscaling/v1 → autoscaling/v2 (the stored form), with v2's defaults, as decoding from storage applies them. */
export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const spec = asObj(v1.spec) ?? {};
  const status = asObj(v1.status);
  const annotations = v1.metadata.annotations ?? {};
  const metrics: Obj[] = [];
  const cpuTarget = num(spec.targetCPUUtilizationPercentage);
  if (cpuTarget !== undefined) metrics.push(cpuUtilizationMetric(cpuTarget));
  metrics.push(...parseAnnotation(annotations, METRICS_ANNOTATION, objectList) ?? []);
  const v2Spec: Obj = { scaleTargetRef: spec.scaleTargetRef };
  if (spec.minReplicas !== undefined) v2Spec.minReplicas = spec.minReplicas;
  v2Spec.maxReplicas = spec.maxReplicas;
  if (metrics.length > 0) v2Spec.metrics = metrics;
  const behavior = parseAnnotation(annotations, BEHAVIOR_ANNOTATION, object);
  if (behavior !== undefined) v2Spec.behavior = behavior;
  const out: KubeObject = { ...v1, apiVersion: 'autoscaling/v2', metadata: withoutConversionAnnotations(v1.metadata), spec: v2Spec };
  if (status !== undefined) {
    const v2Status: Obj = {};
    if (status.observedGeneration !== undefined) v2Status.observedGeneration = status.observedGeneration;
    if (status.lastScaleTime !== undefined) v2Status.lastScaleTime = status.lastScaleTime;
    if (num(status.currentReplicas)) v2Status.currentReplicas = status.currentReplicas;
    v2Status.desiredReplicas = num(status.desiredReplicas) ?? 0;
    const current: Obj[] = [];
    const utilization = num(status.currentCPUUtilizationPercentage);
    if (utilization !== undefined) current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: utilization } } });
    current.push(...parseAnnotation(annotations, CURRENT_METRICS_ANNOTATION, objectList) ?? []);
    if (current.length > 0) v2Status.currentMetrics = current;
    const conditions = parseAnnotation(annotations, CONDITIONS_ANNOTATION, objectList) ?? [];
    if (conditions.length > 0) v2Status.conditions = conditions;
    out.status = v2Status;
  }
  defaultHorizontalPodAutoscalerV2(out);
  return out;
}
