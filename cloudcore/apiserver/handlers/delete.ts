import type { KubeObject } from '../../../shared/k8s/types.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors, successStatus } from '../../../shared/apimachinery/errors/status.js';
import { apiVersionOf } from '../../../shared/apimachinery/resources/api-version.js';
import type { ResourceRequest } from './context.js';
import { deleteObject } from './delete-object.js';
import { readDeleteOptions } from './delete-options.js';
import { compileFilter } from '../../../shared/apimachinery/endpoints/filters.js';
import { parseSelectorParams } from '../../../shared/apimachinery/endpoints/list-options.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';

/**
 * DELETE of one object. A pending deletion answers 202 with the object (kubectl then watches for
 * DELETED); an immediate one answers 200 with the object for pods and a Success Status otherwise,
 * as the apiserver's registries do.
 */
export async function handleDelete(r: ResourceRequest): Promise<void> {
  const name = r.info.name ?? '';
  if (r.info.subresource !== undefined) throw errors.methodNotAllowed(`the server does not allow this method on the requested resource (delete ${r.info.resource} ${r.info.subresource})`);
  const options = await readDeleteOptions(r);
  const outcome = await deleteObject(r.ctx, r.def, r.info.namespace, name, options);
  if (!outcome.deleted) {
    writeJson(r.res, 202, outcome.object);
    return;
  }
  if (r.def.group === '' && r.def.resource === 'pods') {
    writeJson(r.res, 200, outcome.object);
    return;
  }
  writeJson(r.res, 200, successStatus({ name, ...(r.def.group === '' ? {} : { group: r.def.group }), kind: r.def.resource, ...(outcome.object.metadata.uid ? { uid: outcome.object.metadata.uid } : {}) }));
}

/** DELETE on a collection: every object the selectors match, each deleted as above. */
export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const filter = compileFilter(r.def, parseSelectorParams(r.query));
  const options = await readDeleteOptions(r);
  const listed = await r.ctx.objects.list(r.def, r.info.namespace);
  if (!listed.ok) throw errors.hiddenInternal(listed.message);
  const items: KubeObject[] = [];
  for (const obj of listed.value.items) {
    if (!filter.matches(obj)) continue;
    try {
      const outcome = await deleteObject(r.ctx, r.def, obj.metadata.namespace, obj.metadata.name ?? '', options);
      items.push(outcome.object);
    } catch (err) {
      // Something else deleted it meanwhile: that is the outcome we wanted.
      if (!isNotFound(err)) throw err;
    }
  }
  writeJson(r.res, 200, { kind: r.def.listKind, apiVersion: apiVersionOf(r.def), metadata: { resourceVersion: String(listed.value.revision) }, items });
}
