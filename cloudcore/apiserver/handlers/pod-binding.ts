import { z } from 'zod';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors, successStatus } from '../../../shared/apimachinery/errors/status.js';
import { decodeBody, readBody } from '../http/body.js';
import { revisionOf } from '../registry/object-store.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { preconditionFailed } from './precondition-failed.js';
import { cloneJson } from '../../../shared/json/index.js';

const PODS = { group: '', resource: 'pods', namespaced: true };

/** A v1 Binding body, as kube-scheduler posts it. */
const bindingBody = z.object({
  apiVersion: z.literal('v1').optional(),
  kind: z.literal('Binding').optional(),
  metadata: z.object({ name: z.string().optional(), uid: z.string().optional() }).passthrough().optional(),
  target: z.object({ kind: z.string().optional(), name: z.string().min(1, 'target.name: Required value') }).passthrough(),
});

export interface BindRequest {
  namespace: string;
  name: string;
  nodeName: string;
  /** The pod the binder decided about: a pod re-created under the same name is not bound. */
  uid?: string;
}

/**
 * Binds a pending pod to a node, as the API server's pods/binding does: sets spec.nodeName (which
 * no ordinary update may change) and the PodScheduled condition, in one write at the pod's
 * revision. A pod already bound, or being deleted, is a 409 Conflict.
 */
export async function bindPod(ctx: ApiContext, request: BindRequest): Promise<KubeObject> {
  const target = { group: '', resource: 'pods/binding', name: request.name };
  for (;;) {
    const pod = await ctx.objects.get(PODS, request.namespace, request.name);
    if (pod === undefined) throw errors.notFound({ group: '', resource: 'pods', name: request.name });
    if (request.uid !== undefined && pod.metadata.uid !== request.uid) {
      throw preconditionFailed(target, `UID in precondition: ${request.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
    }
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (spec.nodeName !== undefined && spec.nodeName !== '') {
      throw errors.conflict(target, `pod ${request.name} is already assigned to node "${spec.nodeName}"`);
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      throw errors.conflict(target, `pod ${request.name} is being deleted, cannot be assigned to a host`);
    }
    const next = cloneJson(pod);
    (next.spec as { nodeName?: string }).nodeName = request.nodeName;
    setScheduledCondition(next, ctx.now());
    const res = await ctx.objects.update(PODS, next, revisionOf(pod));
    if (res.ok) return res.value;
    if (res.code === 'TooLarge') throw errors.tooLarge(); // docs/limits.md § API, "Object size"
    if (res.code === 'Conflict') continue;
    if (res.code === 'NotFound') throw errors.notFound({ group: '', resource: 'pods', name: request.name });
    throw errors.hiddenInternal(res.message);
  }
}

function setScheduledCondition(pod: KubeObject, now: Date): void {
  const status = (pod.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });
  status.conditions = conditions;
}

/** POST .../pods/NAME/binding: 201 with a Success Status, as the API server answers. */
export async function handlePodBinding(r: ResourceRequest): Promise<void> {
  if (r.info.verb !== 'create') throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (${r.req.method ?? ''} pods binding)`);
  const parsed = bindingBody.safeParse(decodeBody(await readBody(r.req), r.req.headers['content-type']));
  if (!parsed.success) throw errors.badRequest(`invalid Binding: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const kind = parsed.data.target.kind;
  if (kind !== undefined && kind !== '' && kind !== 'Node') throw errors.badRequest(`invalid Binding: target.kind: Unsupported value: "${kind}": supported values: "Node"`);
  const name = r.info.name ?? '';
  const bodyName = parsed.data.metadata?.name;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) throw errors.badRequest(`the name of the Binding (${bodyName}) does not match the name of the pod (${name})`);
  const uid = parsed.data.metadata?.uid;
  await bindPod(r.ctx, { namespace: r.info.namespace ?? 'default', name, nodeName: parsed.data.target.name, ...(uid ? { uid } : {}) });
  writeJson(r.res, 201, successStatus());
}
