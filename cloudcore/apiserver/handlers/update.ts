import type { KubeObject } from '../../../shared/k8s/types.js';
import { fieldManagerOf, updateRecorder } from '../apply/index.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceRequest } from './context.js';
import { isDryRun } from './create.js';
import { expectedApiVersion, readObjectBody } from './decode-object.js';
import { readScaleBody, scaleOf, applyScale } from './scale.js';
import { updateObject } from './update-object.js';

/** PUT on an object, its status, or its scale. */
export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const name = r.info.name;
  if (name === undefined) throw errors.methodNotAllowed('the server does not allow this method on the requested resource');
  const subresource = r.info.subresource;
  const manager = fieldManagerOf(r.query, r.req.headers['user-agent'], 'update');
  if (subresource === 'scale') {
    const scale = await readScaleBody(r);
    const updated = await updateObject(r.ctx, r.def, {
      namespace: r.info.namespace,
      name,
      subresource: undefined,
      dryRun: isDryRun(r.query),
      mutate: (current) => applyScale(r.def, current, scale),
      recordFields: updateRecorder(r.def, manager, 'scale', r.ctx.now()),
    });
    writeJson(r.res, 200, scaleOf(r.def, updated));
    return;
  }
  if (subresource !== undefined && !(subresource === 'status' && r.def.subresources.status)) {
    throw errors.notFoundPath(r.info.path);
  }
  const body = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
  assertIdentityMatches(r, body, name);
  const updated = await updateObject(r.ctx, r.def, {
    namespace: r.info.namespace,
    name,
    subresource: subresource === 'status' ? 'status' : undefined,
    dryRun: isDryRun(r.query),
    user: r.user,
    mutate: () => body,
    recordFields: updateRecorder(r.def, manager, subresource === 'status' ? 'status' : undefined, r.ctx.now()),
  });
  writeJson(r.res, 200, updated);
}

export function assertIdentityMatches(r: ResourceRequest, body: KubeObject, name: string): void {
  // The body is not validated yet: a name or namespace that is no string (a YAML map, say) is
  // refused as Kubernetes' decoder refuses it, before anything formats it into a message.
  for (const field of ['name', 'namespace'] as const) {
    const value: unknown = body.metadata[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw errors.badRequest(`metadata.${field}: Invalid value: must be a string, not ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
  }
  const bodyName = body.metadata.name;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) {
    throw errors.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
  const bodyNamespace = body.metadata.namespace;
  if (r.def.namespaced && bodyNamespace !== undefined && bodyNamespace !== '' && bodyNamespace !== r.info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}
