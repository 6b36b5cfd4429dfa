import type { Result } from '../../../shared/errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { errors, type ResourceRequest } from '../../apiserver/index.js';

/** The pod a logs or exec request names, the container it picked, and the node that holds it. */
export interface StreamTarget {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  nodeName: string;
}

/** Chooses the request's container from the pod spec, with the API server's messages. */
export type ContainerChoice = (podName: string, spec: Record<string, unknown>, requested: string | undefined) => Result<string>;

/**
 * The steps logs and exec share before anything reaches a node: the pod (404 when missing), its
 * container (400 when not valid), and its node (400 `noNode` when the pod is not bound yet).
 */
export async function resolveStreamTarget(
  r: Pick<ResourceRequest, 'ctx' | 'def' | 'info'>,
  requested: string | undefined,
  choose: ContainerChoice,
  noNode: (podName: string) => string,
): Promise<StreamTarget> {
  const name = r.info.name ?? '';
  const pod = (await r.ctx.objects.get(r.def, r.info.namespace, name)) as KubeObject | undefined;
  if (pod === undefined) throw errors.notFound({ group: '', resource: 'pods', name });
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const container = choose(name, spec, requested);
  if (!container.ok) throw errors.badRequest(container.message);
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if (nodeName === '') throw errors.badRequest(noNode(name));
  return { namespace: pod.metadata.namespace ?? r.info.namespace ?? 'default', name, uid: pod.metadata.uid ?? '', container: container.value, nodeName };
}

/** The names of a pod spec's container list (containers, initContainers, ephemeralContainers). */
export function containerNamesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as { name?: unknown }).name === 'string' ? [(c as { name: string }).name] : []));
}
