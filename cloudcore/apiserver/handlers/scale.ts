import { z } from 'zod';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { decodeBody, readBody } from '../http/body.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition, ScaleSpec } from '../kinds/types.js';
import type { ResourceRequest } from './context.js';

/** The autoscaling/v1 Scale view of a workload, as `kubectl scale` reads and writes it. */
const scaleBody = z.object({
  apiVersion: z.literal('autoscaling/v1').optional(),
  kind: z.literal('Scale').optional(),
  metadata: z.object({ name: z.string().optional(), namespace: z.string().optional(), resourceVersion: z.string().optional() }).loose().optional(),
  spec: z.object({ replicas: z.number().int().min(0).optional() }).loose().optional(),
}).loose();

export type ScaleBody = z.infer<typeof scaleBody>;

export function scaleSpecOf(def: ResourceDefinition): ScaleSpec {
  if (def.scale === undefined) throw errors.notFoundPath(`${def.resource}/scale`);
  return def.scale;
}

export function scaleOf(def: ResourceDefinition, obj: KubeObject): Record<string, unknown> {
  const spec = scaleSpecOf(def);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.specReplicas(obj) },
    status: { replicas: spec.statusReplicas(obj), selector: spec.selector(obj) },
  };
}

export function parseScale(body: unknown): ScaleBody {
  const parsed = scaleBody.safeParse(body);
  if (!parsed.success) {
    throw errors.badRequest(`invalid Scale: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export async function readScaleBody(r: ResourceRequest): Promise<ScaleBody> {
  return parseScale(decodeBody(await readBody(r.req), r.req.headers['content-type']));
}

/** Writes a Scale's replicas into the object; its resourceVersion, when given, is a precondition. */
export function applyScale(def: ResourceDefinition, current: KubeObject, scale: ScaleBody): KubeObject {
  const spec = scaleSpecOf(def);
  if (scale.spec?.replicas !== undefined) spec.setSpecReplicas(current, scale.spec.replicas);
  const rv = scale.metadata?.resourceVersion;
  if (rv !== undefined && rv !== '') current.metadata.resourceVersion = rv;
  return current;
}

export async function handleGetScale(r: ResourceRequest, obj: KubeObject): Promise<void> {
  writeJson(r.res, 200, scaleOf(r.def, obj));
}
