import type { FieldError } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { updateRecorder, type FieldRecorder } from '../apply/index.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { revisionOf } from '../registry/object-store.js';
import type { ApiContext } from './context.js';
import type { UserInfo } from '../auth/authenticate.js';
import { adminOnlyAuthorizer } from '../auth/authorize.js';
import { preconditionFailed } from './precondition-failed.js';
import { cloneJson, equalJson } from '../../../shared/json/index.js';
import { shownValue } from '../../../shared/apimachinery/errors/shown-value.js';

export interface UpdateRequest {
  namespace: string | undefined;
  name: string;
  /** 'status' writes only the status; undefined writes everything but the status (when the kind has a status subresource). */
  subresource: 'status' | undefined;
  dryRun: boolean;
  /**
   * Builds the desired object from the current one (a private copy). A resourceVersion left on the
   * result that differs from the current one is a failed precondition (409), as in Kubernetes.
   */
  mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>;
  /**
   * Records field ownership in metadata.managedFields (apply/updateRecorder for the request's
   * manager; server-side apply brings its own). Without one, fields the write removed just
   * leave their managers, as for in-process writers.
   */
  recordFields?: FieldRecorder;
  /**
   * Validation in place of the kind's own, for a subresource with its own rules: one that writes
   * like status does (certificatesigningrequests/approval: docs/users.md § Approval), or one that
   * writes part of the spec (pods/ephemeralcontainers: docs/kubectl.md § Debug).
   */
  validate?: (next: KubeObject, current: KubeObject) => FieldError[];
  /** The user asking, for ctx.admitWrite; in-process writers have none. */
  user?: UserInfo | undefined;
}

const MAX_ATTEMPTS = 8;

/**
 * The update path shared by PUT, PATCH, /status and /scale: optimistic concurrency on the
 * store's revision, the status/spec split, generation, the kind's validation, skipping no-op
 * writes, and deleting an object whose last finalizer was removed during deletion.
 */
export async function updateObject(ctx: ApiContext, def: ResourceDefinition, request: UpdateRequest): Promise<KubeObject> {
  const target = { group: def.group, resource: def.resource, name: request.name };
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.objects.get(def, request.namespace, request.name);
    if (current === undefined) throw errors.notFound(target);
    const desired = await request.mutate(cloneJson(current));
    // A uid in the body is a precondition: it names the object the writer read (Kubernetes).
    const requestedUid = desired.metadata?.uid;
    if (requestedUid !== undefined && requestedUid !== '' && requestedUid !== current.metadata.uid) {
      throw preconditionFailed(target, `UID in precondition: ${shownValue(requestedUid)}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    const requestedRv = desired.metadata?.resourceVersion;
    const unconditional = requestedRv === undefined || requestedRv === '';
    if (!unconditional && requestedRv !== current.metadata.resourceVersion) {
      if (!/^\d+$/.test(shownValue(requestedRv))) throw errors.badRequest(`invalid resourceVersion ${JSON.stringify(requestedRv)}`);
      throw errors.conflict(target, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const next = merge(def, current, desired, request.subresource);
    if (request.subresource === 'status') {
      const problems = (request.validate ?? def.validateStatusUpdate)(next, current);
      if (problems.length > 0) throw errors.invalid(def.group, def.kind, request.name, problems);
    } else {
      def.applyDefaults(next);
      def.prepareForUpdate?.(next, current);
      if (def.tracksGeneration && specChanged(current, next)) next.metadata.generation = (current.metadata.generation ?? 0) + 1;
      const problems = (request.validate ?? def.validateUpdate)(next, current);
      if (problems.length > 0) throw errors.invalid(def.group, def.kind, request.name, problems);
    }
    (request.recordFields ?? updateRecorder(def, undefined, request.subresource, ctx.now()))(current, next);
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (equalJson(next, current)) return current;
    if (request.user !== undefined && request.subresource === undefined) ctx.admitWrite?.({ user: request.user, def, object: next, old: current });
    const refused = request.user === undefined ? undefined : def.admitUpdate?.({ object: next, old: current, user: request.user, subresource: request.subresource, authorize: ctx.authorize ?? adminOnlyAuthorizer });
    if (refused !== undefined) throw refused;
    if (request.dryRun) return next;
    const res = shouldDeleteDuringUpdate(next)
      ? await ctx.objects.delete(def, request.namespace, request.name, revisionOf(current))
      : await ctx.objects.update(def, next, revisionOf(current));
    if (res.ok) return res.value;
    if (res.code === 'TooLarge') throw errors.tooLarge(); // docs/limits.md § API, "Object size"
    if (res.code === 'NotFound') throw errors.notFound(target);
    if (res.code === 'Conflict' && unconditional && attempt < MAX_ATTEMPTS) continue;
    if (res.code === 'Conflict') {
      throw errors.conflict(target, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    throw errors.hiddenInternal(res.message);
  }
}

/** Keeps what a write may not change (identity, deletion state) and splits status from spec. */
function merge(def: ResourceDefinition, current: KubeObject, desired: KubeObject, subresource: 'status' | undefined): KubeObject {
  if (subresource === 'status') {
    const next = cloneJson(current);
    if (desired.status === undefined) delete next.status;
    else next.status = desired.status;
    return next;
  }
  const next: KubeObject = { ...desired, apiVersion: current.apiVersion, kind: current.kind, metadata: { ...desired.metadata } };
  const meta = next.metadata;
  const cur = current.metadata;
  meta.name = cur.name;
  if (cur.namespace === undefined) delete meta.namespace;
  else meta.namespace = cur.namespace;
  meta.uid = cur.uid;
  meta.creationTimestamp = cur.creationTimestamp;
  copyOrDelete(meta, cur, 'deletionTimestamp');
  copyOrDelete(meta, cur, 'deletionGracePeriodSeconds');
  copyOrDelete(meta, cur, 'generation');
  delete meta.generateName;
  if (cur.generateName !== undefined) meta.generateName = cur.generateName;
  if (def.subresources.status) {
    if (current.status === undefined) delete next.status;
    else next.status = current.status;
  }
  return next;
}

function copyOrDelete(target: Record<string, unknown>, source: Record<string, unknown>, key: string): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = source[key];
}

/** Anything outside metadata and status counts as spec for metadata.generation. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: KubeObject) => rest;
  return !equalJson(strip(a), strip(b));
}

/** Kubernetes' rule: a deleted object (grace 0) whose last finalizer is gone is removed. */
export function shouldDeleteDuringUpdate(obj: KubeObject): boolean {
  const meta = obj.metadata;
  // A namespace also waits for its spec.finalizers: the namespace controller empties it first.
  if (obj.kind === 'Namespace' && (((obj.spec ?? {}) as { finalizers?: string[] }).finalizers ?? []).length > 0) return false;
  return (
    meta.deletionTimestamp !== undefined &&
    (meta.finalizers === undefined || meta.finalizers.length === 0) &&
    meta.deletionGracePeriodSeconds === 0
  );
}
