import { z } from 'zod';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray } from '../../../shared/k8s/object-access.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { ApiError, errors, successStatus } from '../../../shared/apimachinery/errors/status.js';
import { decodeBody, readBody } from '../http/body.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { timestamp } from './decode-object.js';
import { deleteObject } from './delete-object.js';
import { deleteOptionsSchema, type DeleteOptions } from './delete-options.js';
import { budgetsForPod, canIgnoreBudget, decideEviction } from './eviction-budget.js';
import { updateObject } from './update-object.js';

const PODS = { group: '', resource: 'pods', namespaced: true };
const PDBS = { group: 'policy', resource: 'poddisruptionbudgets', namespaced: true };
/** Kubernetes' EvictionsRetry: a budget written by someone else meanwhile is read again, up to 20 times. */
const MAX_ATTEMPTS = 20;

/** A policy/v1 Eviction; policy/v1beta1's is the same object and is accepted too, as Kubernetes does. */
const evictionBody = z.object({
  apiVersion: z.enum(['policy/v1', 'policy/v1beta1']).optional(),
  kind: z.literal('Eviction').optional(),
  metadata: z.object({ name: z.string().optional(), namespace: z.string().optional() }).passthrough().optional(),
  deleteOptions: deleteOptionsSchema.nullish(),
});

interface Eviction {
  namespace: string;
  name: string;
  deleteOptions: DeleteOptions;
}

/** Step 1: the body, its name against the URL's, and the delete options it carries. */
async function readEviction(r: ResourceRequest): Promise<Eviction> {
  const parsed = evictionBody.safeParse(decodeBody(await readBody(r.req), r.req.headers['content-type']));
  if (!parsed.success) throw errors.badRequest(`invalid Eviction: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const name = r.info.name ?? '';
  const namespace = r.info.namespace ?? 'default';
  if ((parsed.data.metadata?.name ?? '') !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const bodyNamespace = parsed.data.metadata?.namespace;
  if (bodyNamespace !== undefined && bodyNamespace !== '' && bodyNamespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const options = parsed.data.deleteOptions ?? {};
  const policy = options.propagationPolicy ?? undefined;
  return {
    namespace,
    name,
    deleteOptions: {
      gracePeriodSeconds: options.gracePeriodSeconds ?? undefined,
      preconditionUid: options.preconditions?.uid ?? undefined,
      preconditionResourceVersion: options.preconditions?.resourceVersion ?? undefined,
      propagationPolicy: policy ?? (options.orphanDependents === true ? 'Orphan' : undefined),
      dryRun: r.query.getAll('dryRun').includes('All') || (options.dryRun ?? []).includes('All'),
    },
  };
}

async function getPod(ctx: ApiContext, eviction: Eviction): Promise<KubeObject> {
  const pod = await ctx.objects.get(PODS, eviction.namespace, eviction.name);
  if (pod === undefined) throw errors.notFound({ group: '', resource: 'pods', name: eviction.name });
  return pod;
}

async function budgetsOf(ctx: ApiContext, pod: KubeObject): Promise<KubeObject[]> {
  const listed = await ctx.objects.list(PDBS, pod.metadata.namespace);
  if (!listed.ok) throw errors.hiddenInternal(listed.message);
  return budgetsForPod(listed.value.items, pod);
}

/**
 * Step 2: the budget's say. One matching budget is checked and, when the eviction is allowed,
 * decremented at the revision read (a conflict reads both again); none lets the pod go.
 */
async function admitUnderBudget(ctx: ApiContext, eviction: Eviction, firstPod: KubeObject): Promise<void> {
  let pod = firstPod;
  for (let attempt = 1; ; attempt++) {
    if (canIgnoreBudget(pod)) return;
    const budgets = await budgetsOf(ctx, pod);
    if (budgets.length === 0) return;
    if (budgets.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = budgets[0] as KubeObject;
    const decision = decideEviction(pdb, pod, timestamp(ctx.now()));
    if (decision.kind === 'delete') return;
    if (decision.kind === 'refuse') throw decision.error;
    if (eviction.deleteOptions.dryRun) return;
    const def = ctx.registry.get('policy', 'v1', 'poddisruptionbudgets');
    if (def === undefined) throw errors.hiddenInternal('policy/v1 poddisruptionbudgets are not served');
    try {
      await updateObject(ctx, def, {
        namespace: pdb.metadata.namespace,
        name: pdb.metadata.name ?? '',
        subresource: 'status',
        dryRun: false,
        mutate: (current) => ({ ...current, metadata: { ...current.metadata, resourceVersion: pdb.metadata.resourceVersion }, status: decision.status }),
      });
      return;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409 || attempt >= MAX_ATTEMPTS) throw err;
      pod = await getPod(ctx, eviction);
    }
  }
}

/**
 * Step 3: the pod is marked before it goes, as Kubernetes' eviction does (condition
 * DisruptionTarget, reason EvictionByEvictionAPI), so its controllers and users can tell why. The
 * delete's preconditions are checked against the pod as it is now; a resourceVersion precondition
 * then names the version this write made.
 */
async function markDisruptionTarget(ctx: ApiContext, eviction: Eviction): Promise<DeleteOptions> {
  const options = eviction.deleteOptions;
  if (options.dryRun) return options;
  const def = ctx.registry.get('', 'v1', 'pods');
  if (def === undefined) throw errors.hiddenInternal('v1 pods are not served');
  const target = { group: '', resource: 'pods', name: eviction.name };
  const updated = await updateObject(ctx, def, {
    namespace: eviction.namespace,
    name: eviction.name,
    subresource: 'status',
    dryRun: false,
    mutate: (current) => {
      if (options.preconditionUid !== undefined && options.preconditionUid !== current.metadata.uid) {
        throw errors.conflict(target, `Precondition failed: UID in precondition: ${options.preconditionUid}, UID in object meta: ${current.metadata.uid ?? ''}`);
      }
      if (options.preconditionResourceVersion !== undefined && options.preconditionResourceVersion !== current.metadata.resourceVersion) {
        throw errors.conflict(target, `Precondition failed: ResourceVersion in precondition: ${options.preconditionResourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`);
      }
      const status = { ...(asObj(current.status) ?? {}) };
      const conditions = objArray(status.conditions).filter((c) => c.type !== 'DisruptionTarget');
      const previous = objArray(status.conditions).find((c) => c.type === 'DisruptionTarget');
      const since = previous?.status === 'True' ? previous.lastTransitionTime : timestamp(ctx.now());
      conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: since, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
      status.conditions = conditions;
      return { ...current, metadata: { ...current.metadata, resourceVersion: undefined }, status };
    },
  });
  return options.preconditionResourceVersion === undefined ? options : { ...options, preconditionResourceVersion: updated.metadata.resourceVersion };
}

/** POST pods/NAME/eviction (policy/v1 Eviction): checks the pod's disruption budget, then deletes the pod. */
export async function handlePodEviction(r: ResourceRequest): Promise<void> {
  if (r.info.verb !== 'create') throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (${r.req.method ?? ''} pods eviction)`);
  const eviction = await readEviction(r);
  const pod = await getPod(r.ctx, eviction);
  await admitUnderBudget(r.ctx, eviction, pod);
  const options = await markDisruptionTarget(r.ctx, eviction);
  const def = r.ctx.registry.get('', 'v1', 'pods');
  if (def === undefined) throw errors.hiddenInternal('v1 pods are not served');
  await deleteObject(r.ctx, def, eviction.namespace, eviction.name, options);
  writeJson(r.res, 201, successStatus());
}
