import type { KubeObject } from '../../../shared/k8s/types.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ApiContext } from './context.js';

const NAMESPACES = { group: '', resource: 'namespaces', namespaced: false };

/**
 * New content may go only into a namespace that exists and is not terminating, as the
 * NamespaceLifecycle admission plugin enforces.
 */
export async function assertNamespaceWritable(ctx: ApiContext, obj: KubeObject, resource: { group: string; resource: string }): Promise<void> {
  const namespace = obj.metadata.namespace;
  if (namespace === undefined) return;
  const ns = await ctx.objects.get(NAMESPACES, undefined, namespace);
  if (ns === undefined) throw errors.notFound({ group: '', resource: 'namespaces', name: namespace });
  if (ns.metadata.deletionTimestamp !== undefined) {
    throw errors.forbiddenMessage(
      `${resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`} "${obj.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      { group: resource.group, resource: resource.resource, name: obj.metadata.name ?? '' },
    );
  }
}
