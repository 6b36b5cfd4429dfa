import { randomUUID } from 'node:crypto';
import { parseDryRun, type OptionsKind } from '../../../shared/apimachinery/endpoints/dry-run-param.js';
import { required } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { fieldManagerOf, recordCreate } from '../apply/index.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition } from '../kinds/types.js';
import type { ApiContext, ResourceRequest } from './context.js';
import type { UserInfo } from '../auth/authenticate.js';
import { expectedApiVersion, generateNameSuffix, readObjectBody, timestamp } from './decode-object.js';
import { assertNamespaceWritable } from './namespace-guard.js';
import { admitPodServiceAccount } from '../admission/service-account-admission.js';
import { cloneJson } from '../../../shared/json/index.js';
import { admitPodPriority } from '../admission/pod-priority.js';

export interface WriteOptions {
  dryRun: boolean;
  /** Records the create in metadata.managedFields under this manager (apply/); none for in-process writers. */
  fieldManager?: string | undefined;
  /**
   * The user asking, for ctx.admitWrite and for the kind's strategy and admission (a CSR records
   * its requester, docs/users.md); in-process writers have none.
   */
  user?: UserInfo | undefined;
}

export async function handleCreate(r: ResourceRequest): Promise<void> {
  if (r.info.subresource !== undefined) {
    throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (post ${r.info.resource} ${r.info.subresource})`);
  }
  if (r.info.name !== undefined) {
    throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (post ${r.info.resource})`);
  }
  const obj = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
  if (r.def.namespaced) {
    const urlNamespace = r.info.namespace;
    if (urlNamespace === undefined) throw errors.notFoundPath(r.info.path);
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== '' && obj.metadata.namespace !== urlNamespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = urlNamespace;
  }
  const fieldManager = fieldManagerOf(r.query, r.req.headers['user-agent'], 'create');
  const created = await createObject(r.ctx, r.def, obj, { dryRun: isDryRun(r.query, 'CreateOptions'), fieldManager, user: r.user });
  writeJson(r.res, 201, created);
}

/** The store write of a create; a Service gets its cluster IP under the allocator's lock. */
function storeNewObject(ctx: ApiContext, def: ResourceDefinition, obj: KubeObject): ReturnType<ApiContext['objects']['create']> {
  if (def.group === '' && def.resource === 'services' && ctx.serviceIps !== undefined) {
    return ctx.serviceIps.admit(ctx, obj, () => ctx.objects.create(def, obj));
  }
  return ctx.objects.create(def, obj);
}

/** `dryRun=All`, checked as kube-apiserver checks it (shared/apimachinery/endpoints/dry-run-param.ts). */
export function isDryRun(query: URLSearchParams, kind: OptionsKind): boolean {
  return parseDryRun(query.getAll('dryRun'), kind);
}

/**
 * The create path shared by the HTTP handler and in-process controllers: system fields, the
 * kind's strategy (prepare, default, validate), namespace lifecycle, then one store write.
 */
export async function createObject(ctx: ApiContext, def: ResourceDefinition, input: KubeObject, options: WriteOptions): Promise<KubeObject> {
  const obj = cloneJson(input);
  const meta = obj.metadata;
  if (!def.namespaced) delete meta.namespace;
  const generated = (meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '';
  if (!generated && (meta.name === undefined || meta.name === '')) {
    throw errors.invalid(def.group, def.kind, '', [required('metadata.name', 'name or generateName is required')]);
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(ctx.now());
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (def.tracksGeneration) meta.generation = 1;
  else delete meta.generation;

  // Priority admission sees what the client stated, before the strategy fills the rest.
  if (def.group === '' && def.resource === 'pods') await admitPodPriority(ctx, obj);
  for (let attempt = 0; ; attempt++) {
    if (generated) meta.name = `${String(meta.generateName)}${generateNameSuffix()}`;
    // Kubernetes defaults on decode, before the strategy's PrepareForCreate (which may rely on
    // defaulted fields, e.g. a pod's QoS class on defaulted requests).
    def.applyDefaults(obj);
    def.prepareForCreate(obj, options.user);
    // Mutating admission: Kubernetes' ServiceAccount plugin (docs/service-accounts.md § Pod admission).
    if (def.group === '' && def.resource === 'pods') await admitPodServiceAccount(ctx, obj);
    if (options.fieldManager !== undefined) recordCreate(def, obj, options.fieldManager, ctx.now());
    const problems = def.validateCreate(obj);
    if (problems.length > 0) throw errors.invalid(def.group, def.kind, meta.name ?? '', problems);
    const refused = def.admitCreate?.(obj, options.user);
    if (refused !== undefined) throw refused;
    await assertNamespaceWritable(ctx, obj, def);
    if (options.user !== undefined) ctx.admitWrite?.({ user: options.user, def, object: obj, old: undefined });
    if (options.dryRun) return obj;
    const res = await storeNewObject(ctx, def, obj);
    if (res.ok) return res.value;
    // A generated name that collided is retried with a new suffix, as the apiserver does.
    if (res.code === 'AlreadyExists' && generated && attempt < 5) continue;
    if (res.code === 'TooLarge') throw errors.tooLarge(); // docs/limits.md § API, "Object size"
    if (res.code === 'AlreadyExists') throw errors.alreadyExists({ group: def.group, resource: def.resource, name: meta.name ?? '' });
    throw errors.hiddenInternal(res.message);
  }
}
