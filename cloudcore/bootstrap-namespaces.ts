import { createIfAbsent, type ApiContext } from './apiserver/index.js';

/** The namespaces every Kubernetes cluster has; created at start when missing. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function ensureSystemNamespaces(ctx: ApiContext): Promise<void> {
  const def = ctx.registry.get('', 'v1', 'namespaces');
  if (def === undefined) throw new Error('namespaces are not registered');
  for (const name of SYSTEM_NAMESPACES) {
    if ((await ctx.objects.get(def, undefined, name)) !== undefined) continue;
    // Lost a race with another writer: the namespace exists, which is all we need.
    await createIfAbsent(ctx, def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}
