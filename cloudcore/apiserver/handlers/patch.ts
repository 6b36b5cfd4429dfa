import type { Result } from '../../../shared/errors.js';
import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { decodeBody, mediaType, readBody, refuseDeepPatchResult } from '../http/body.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { ApiError, errors } from '../../../shared/apimachinery/errors/status.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../patch/index.js';
import { applyConfiguration, applyConflictError, assertNoForce, fieldManagerOf, isForced, rfc3339, schemaOf, updateRecorder, type ApplyOutcome } from '../apply/index.js';
import { builtinSchema } from '../schema/index.js';
import type { ResourceRequest } from './context.js';
import { createIfAbsent } from './create-if-absent.js';
import { isDryRun } from './create.js';
import { checkObject, expectedApiVersion } from './decode-object.js';
import { applyScale, parseScale, scaleOf } from './scale.js';
import { assertIdentityMatches } from './update.js';
import { updateObject } from './update-object.js';
import { shownValue } from '../../../shared/apimachinery/errors/shown-value.js';

export type PatchType = 'json' | 'merge' | 'strategic';

/** Server-side apply (`kubectl apply --server-side`): see handleApplyPatch. */
const APPLY_PATCH = 'application/apply-patch+yaml';

export const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** PATCH on an object, its status or its scale: JSON patch, merge patch or strategic merge patch. */
export async function handlePatch(r: ResourceRequest): Promise<void> {
  const name = r.info.name;
  if (name === undefined) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  if (mediaType(r.req.headers['content-type']) === APPLY_PATCH) return handleApplyPatch(r, name);
  const type = PATCH_TYPES[mediaType(r.req.headers['content-type'])];
  if (type === undefined) throw errors.unsupportedMediaType(mediaType(r.req.headers['content-type']));
  assertNoForce(r.query);
  const manager = fieldManagerOf(r.query, r.req.headers['user-agent'], 'patch');
  const custom = r.def.schema !== undefined;
  if (type === 'strategic' && custom) {
    // As on a real server: strategic merge needs Go struct tags, which custom resources lack.
    throw new ApiError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415,
      message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    });
  }
  const patch = decodeBody(await readBody(r.req), r.req.headers['content-type']);
  const namesResourceVersion = patchNamesResourceVersion(type, patch);
  const subresource = r.info.subresource;
  const dryRun = isDryRun(r.query, 'PatchOptions');
  if (subresource === 'scale') {
    const updated = await updateObject(r.ctx, r.def, {
      namespace: r.info.namespace, name, subresource: undefined, dryRun,
      mutate: (current) => {
        const scale = parseScale(refuseDeepPatchResult(unwrap(applyPatch(type, scaleOf(r.def, current), patch, undefined))));
        return applyScale(r.def, current, scale);
      },
      recordFields: updateRecorder(r.def, manager, 'scale', r.ctx.now()),
    });
    writeJson(r.res, 200, scaleOf(r.def, updated));
    return;
  }
  if (subresource !== undefined && !(subresource === 'status' && r.def.subresources.status)) throw errors.notFoundPath(r.info.path);
  const schema = r.def.schema?.() ?? builtinSchema(r.def.group, r.def.version, r.def.kind);
  const updated = await updateObject(r.ctx, r.def, {
    namespace: r.info.namespace, name, subresource: subresource === 'status' ? 'status' : undefined, dryRun, user: r.user,
    mutate: (current) => {
      const patched = refuseDeepPatchResult(unwrap(applyPatch(type, current, patch, schema)));
      const obj = checkObject(r, patched, r.def.kind, expectedApiVersion(r));
      assertIdentityMatches(r, obj, name);
      // A patch that names no resourceVersion is applied to the latest object and retried on a
      // conflict, as the API server's patcher does; one that names it is a precondition.
      if (!namesResourceVersion) delete obj.metadata.resourceVersion;
      return obj;
    },
    recordFields: updateRecorder(r.def, manager, subresource === 'status' ? 'status' : undefined, r.ctx.now()),
  });
  writeJson(r.res, 200, updated);
}

/** Whether the patch itself sets metadata.resourceVersion (then it is a precondition, never retried). */
export function patchNamesResourceVersion(type: PatchType, patch: unknown): boolean {
  if (type === 'json') {
    return Array.isArray(patch) && patch.some((op) => isRecord(op) && op.path === '/metadata/resourceVersion' && op.op !== 'test' && op.op !== 'remove');
  }
  if (!isRecord(patch) || !isRecord(patch.metadata)) return false;
  const rv = patch.metadata.resourceVersion;
  return rv !== undefined && rv !== null && rv !== '';
}

export function applyPatch(type: PatchType, doc: unknown, patch: unknown, schema: ReturnType<typeof builtinSchema>): Result<unknown> {
  switch (type) {
    case 'json':
      return applyJsonPatch(doc, patch);
    case 'merge':
      if (!isRecord(patch)) return { ok: false, code: 'BadRequest', message: 'a merge patch must be a JSON object' };
      return applyMergePatch(doc, patch);
    case 'strategic':
      if (!isRecord(patch)) return { ok: false, code: 'BadRequest', message: 'a strategic merge patch must be a JSON object' };
      return applyStrategicMergePatch(doc, patch, schema);
  }
}

export function unwrap(result: Result<unknown>): KubeObject {
  if (result.ok) return result.value as KubeObject;
  // A JSON patch operation that does not apply, a failed `test` included: 422 with empty details,
  // as the apiserver's patch handler (NewGenericServerResponse(422)); docs/kubectl.md § Errors.
  if (result.code === 'Invalid') throw errors.patchNotApplied(result.message);
  // Too many operations, or copies past the accumulated copy limit: 413, as Kubernetes answers.
  if (result.code === 'RequestEntityTooLarge') {
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'RequestEntityTooLarge', code: 413, message: result.message });
  }
  throw errors.badRequest(result.message);
}

/**
 * Server-side apply: the body is a partial object (YAML or JSON) merged into the live one by the
 * apply/ module, which also tracks ownership and reports conflicts (409). A missing object is
 * created through the normal create path (201).
 */
async function handleApplyPatch(r: ResourceRequest, name: string): Promise<void> {
  const manager = fieldManagerOf(r.query, r.req.headers['user-agent'], 'apply') ?? '';
  const subresource = r.info.subresource;
  if (subresource !== undefined && !(subresource === 'status' && r.def.subresources.status)) throw errors.notFoundPath(r.info.path);
  const config = readApplyConfig(r, decodeBody(await readBody(r.req), r.req.headers['content-type']), name);
  const dryRun = isDryRun(r.query, 'PatchOptions');
  const apply = (live: KubeObject | undefined) =>
    unwrapApply(applyConfiguration({
      live, config, manager, force: isForced(r.query), apiVersion: expectedApiVersion(r), schema: schemaOf(r.def), now: rfc3339(r.ctx.now()),
      scope: { subresource: subresource === 'status' ? 'status' : undefined, statusSubresource: r.def.subresources.status },
    }));
  if (subresource === undefined && (await r.ctx.objects.get(r.def, r.info.namespace, name)) === undefined) {
    // Created by someone else meanwhile: apply to what is there now.
    const outcome = await createIfAbsent(r.ctx, r.def, apply(undefined), { dryRun, user: r.user });
    if (outcome.created) return writeJson(r.res, 201, outcome.object);
  }
  let applied: KubeObject | undefined;
  const updated = await updateObject(r.ctx, r.def, {
    namespace: r.info.namespace, name, subresource: subresource === 'status' ? 'status' : undefined, dryRun, user: r.user,
    mutate: (current) => (applied = apply(current)),
    recordFields: (_current, next) => {
      if (applied?.metadata.managedFields === undefined) delete next.metadata.managedFields;
      else next.metadata.managedFields = applied.metadata.managedFields;
    },
  });
  writeJson(r.res, 200, updated);
}

/** The applied configuration: this resource's apiVersion and kind, known fields, the URL's name. */
function readApplyConfig(r: ResourceRequest, body: unknown, name: string): KubeObject {
  if (!isRecord(body)) throw errors.badRequest('the apply configuration must be a YAML or JSON object');
  const expected = expectedApiVersion(r);
  if (body.apiVersion !== expected) {
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${shownValue(body.apiVersion ?? '')}, expected: ${expected}`);
  }
  const version = expected.slice(expected.indexOf('/') + 1);
  const config = checkObject(r, body, r.def.kind, expected, `${r.def.kind} in version ${JSON.stringify(version)} cannot be handled as a ${r.def.kind}: `);
  assertIdentityMatches(r, config, name);
  config.metadata.name = name;
  if (r.def.namespaced) config.metadata.namespace = r.info.namespace;
  return config;
}

function unwrapApply(outcome: ApplyOutcome): KubeObject {
  if (outcome.ok) return outcome.object;
  if (outcome.code === 'Conflict') throw applyConflictError(outcome.conflicts);
  throw errors.badRequest(outcome.message);
}
