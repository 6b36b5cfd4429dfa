import { createIfAbsent, systemPriorityClasses, type ApiContext } from './apiserver/index.js';

/**
 * The priority classes every Kubernetes cluster has (system-node-critical, system-cluster-critical),
 * created at start when missing, as the apiserver's scheduling post-start hook does.
 */
export async function ensureSystemPriorityClasses(ctx: ApiContext): Promise<void> {
  const def = ctx.registry.get('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (def === undefined) throw new Error('priorityclasses are not registered');
  for (const pc of systemPriorityClasses()) {
    if ((await ctx.objects.get(def, undefined, pc.metadata.name ?? '')) !== undefined) continue;
    // Lost a race with another cloudcore sharing the datastore: the class exists, which is all we need.
    await createIfAbsent(ctx, def, pc);
  }
}
