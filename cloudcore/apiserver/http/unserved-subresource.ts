import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ResourceRequest } from '../handlers/context.js';

/**
 * Subresources Kubernetes serves that Outpost does not serve yet. Their 404 must still be the one
 * clients expect (docs/kubectl.md § Errors): for a missing object, kube-apiserver's `pods "x" not
 * found` with details naming it; for an existing one, the generic "could not find the requested
 * resource" with empty details, which `kubectl debug` reads as "ephemeral containers are disabled
 * for this cluster" (it reads `details.name`, and crashed on a body without details).
 * `pods/attach` is served only as a protocol upgrade (handle-upgrade.ts); a plain request to it
 * gets the same answers as these.
 */
const UNSERVED = new Set(['pods/attach', 'pods/portforward', 'pods/proxy', 'pods/resize', 'services/proxy', 'nodes/proxy']);

export async function unservedSubresource(r: ResourceRequest): Promise<never> {
  const { def, info } = r;
  if (info.name !== undefined && UNSERVED.has(`${def.resource}/${info.subresource ?? ''}`)) {
    const found = await r.ctx.objects.get(def, def.namespaced ? info.namespace : undefined, info.name);
    if (found === undefined) throw errors.notFound({ group: def.group, resource: def.resource, name: info.name });
  }
  throw errors.notFoundPath(info.path);
}
