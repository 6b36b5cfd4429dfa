/**
 * GET, PUT and PATCH on /api/v1/namespaces/{ns}/pods/{name}/ephemeralcontainers: how `kubectl
 * debug` adds an ephemeral container (a strategic-merge PATCH). As Kubernetes'
 * podEphemeralContainersStrategy: the body is a Pod, only its spec.ephemeralContainers is taken,
 * and the existing ones may not change (kinds/pod/ephemeral-containers.ts). A pod whose node's edge
 * speaks a protocol without ephemeral containers is refused (docs/protocol.md R47).
 */
import { supportsProtocol16 } from '../../../shared/protocol/version.js';
import { forbidden, type FieldError } from '../../../shared/k8s/field-errors.js';
import { asObj, childObj, str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { cloneJson } from '../../../shared/json/index.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import { fieldManagerOf, updateRecorder } from '../apply/index.js';
import { mediaType, readBody, decodeBody, refuseDeepPatchResult } from '../http/body.js';
import { addedEphemeralContainers } from '../kinds/pod/ephemeral-containers.js';
import { validatePodEphemeralContainersUpdate } from '../kinds/pod/pods.js';
import { builtinSchema } from '../schema/index.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './create.js';
import { checkObject, expectedApiVersion, readObjectBody } from './decode-object.js';
import { applyPatch, PATCH_TYPES, patchNamesResourceVersion, unwrap } from './patch.js';
import { assertIdentityMatches } from './update.js';
import { updateObject } from './update-object.js';

export interface EphemeralContainersOptions {
  /** The protocol version the node's edge spoke when it connected (R2); undefined when not connected here. */
  nodeProtocol?: (nodeName: string) => string | undefined;
}

/** Where a write's ephemeral containers come from: the PUT body, or the patched live pod. */
type Source = (current: KubeObject) => { pod: KubeObject; keepsResourceVersion: boolean };

/** R47: an edge that said 1.5 ignores ephemeral containers, so adding one there is refused. */
function edgeSupport(options: EphemeralContainersOptions, next: KubeObject, old: KubeObject): FieldError[] {
  const nextSpec = asObj(next.spec) ?? {};
  const node = str(nextSpec.nodeName);
  if (node === '' || addedEphemeralContainers(nextSpec, asObj(old.spec) ?? {}).length === 0) return [];
  const version = options.nodeProtocol?.(node);
  if (version === undefined || version === '' || supportsProtocol16(version)) return [];
  return [forbidden('spec.ephemeralContainers', `node ${JSON.stringify(node)} runs an edge that speaks protocol ${version}, which does not run ephemeral containers (they need 1.6)`)];
}

/** dropNonEphemeralContainerUpdates: the live pod, with the source's ephemeral containers. */
function withEphemeralContainers(current: KubeObject, source: KubeObject, keepsResourceVersion: boolean): KubeObject {
  const spec = childObj(current, 'spec');
  const wanted = asObj(source.spec)?.ephemeralContainers;
  if (wanted === undefined || wanted === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = wanted;
  const rv = source.metadata.resourceVersion;
  if (keepsResourceVersion && rv !== undefined && rv !== '') current.metadata.resourceVersion = rv;
  else delete current.metadata.resourceVersion;
  const uid = source.metadata.uid;
  if (uid !== undefined && uid !== '') current.metadata.uid = uid;
  return current;
}

async function bodySource(r: ResourceRequest, name: string): Promise<Source> {
  if (r.info.verb === 'update') {
    const body = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
    assertIdentityMatches(r, body, name);
    return () => ({ pod: body, keepsResourceVersion: true });
  }
  const type = PATCH_TYPES[mediaType(r.req.headers['content-type'])];
  if (type === undefined) throw errors.unsupportedMediaType(mediaType(r.req.headers['content-type']));
  const patch = decodeBody(await readBody(r.req), r.req.headers['content-type']);
  const keepsResourceVersion = patchNamesResourceVersion(type, patch);
  const schema = builtinSchema(r.def.group, r.def.version, r.def.kind);
  return (current) => {
    const patched = checkObject(r, refuseDeepPatchResult(unwrap(applyPatch(type, current, patch, schema))), r.def.kind, expectedApiVersion(r));
    assertIdentityMatches(r, patched, name);
    return { pod: patched, keepsResourceVersion };
  };
}

export function createPodEphemeralContainersHandler(options: EphemeralContainersOptions = {}): (r: ResourceRequest) => Promise<void> {
  return async (r) => {
    const name = r.info.name;
    if (name === undefined) throw errors.notFoundPath(r.info.path);
    if (r.info.verb === 'get') {
      const pod = await r.ctx.objects.get(r.def, r.info.namespace, name);
      if (pod === undefined) throw errors.notFound({ group: r.def.group, resource: r.def.resource, name });
      return writeJson(r.res, 200, pod);
    }
    if (r.info.verb !== 'update' && r.info.verb !== 'patch') throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
    const source = await bodySource(r, name);
    const manager = fieldManagerOf(r.query, r.req.headers['user-agent'], r.info.verb);
    const updated = await updateObject(r.ctx, r.def, {
      namespace: r.info.namespace,
      name,
      subresource: undefined,
      dryRun: isDryRun(r.query, r.info.verb === 'update' ? 'UpdateOptions' : 'PatchOptions'),
      user: r.user,
      mutate: (current) => {
        const { pod, keepsResourceVersion } = source(cloneJson(current));
        return withEphemeralContainers(current, pod, keepsResourceVersion);
      },
      validate: (next, old) => [...validatePodEphemeralContainersUpdate(next, old), ...edgeSupport(options, next, old)],
      recordFields: updateRecorder(r.def, manager, 'ephemeralcontainers', r.ctx.now()),
    });
    writeJson(r.res, 200, updated);
  };
}
