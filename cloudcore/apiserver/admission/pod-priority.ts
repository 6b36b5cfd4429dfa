import { errors } from '../../../shared/apimachinery/errors/status.js';
import { childObj, num, str } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ApiContext } from '../handlers/context.js';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
const DEFAULT_PRIORITY = 0;

interface ResolvedPriority {
  className: string;
  priority: number;
  preemptionPolicy: string | undefined;
}

function forbidden(pod: KubeObject, why: string): Error {
  const name = pod.metadata.name ?? '';
  return errors.forbiddenMessage(`pods "${name}" is forbidden: ${why}`, { group: '', resource: 'pods', name });
}

/** The class a pod names, or the global default (the lowest-valued one, as Kubernetes picks). */
async function resolve(ctx: ApiContext, pod: KubeObject, className: string): Promise<ResolvedPriority> {
  const def = ctx.registry.get('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (def === undefined) return { className, priority: DEFAULT_PRIORITY, preemptionPolicy: undefined };
  if (className !== '') {
    const pc = await ctx.objects.get(def, undefined, className);
    if (pc === undefined) throw forbidden(pod, `no PriorityClass with name ${className} was found`);
    return { className, priority: num(pc.value) ?? 0, preemptionPolicy: str(pc.preemptionPolicy) || undefined };
  }
  const listed = await ctx.objects.list(def, undefined);
  if (!listed.ok) throw errors.hiddenInternal(listed.message);
  let chosen: KubeObject | undefined;
  for (const pc of listed.value.items) {
    if (pc.globalDefault === true && (chosen === undefined || (num(pc.value) ?? 0) < (num(chosen.value) ?? 0))) chosen = pc;
  }
  if (chosen === undefined) return { className: '', priority: DEFAULT_PRIORITY, preemptionPolicy: undefined };
  return { className: chosen.metadata.name ?? '', priority: num(chosen.value) ?? 0, preemptionPolicy: str(chosen.preemptionPolicy) || undefined };
}

/**
 * Kubernetes' Priority admission plugin for a new pod (docs/kinds.md § PriorityClass): the pod's
 * priorityClassName (or the global default class) gives spec.priority and spec.preemptionPolicy;
 * an unknown class, or a priority or policy the pod states differently, is refused.
 */
export async function admitPodPriority(ctx: ApiContext, pod: KubeObject): Promise<void> {
  const spec = childObj(pod, 'spec');
  const resolved = await resolve(ctx, pod, str(spec.priorityClassName));
  const stated = num(spec.priority);
  if (stated !== undefined && stated !== resolved.priority) {
    throw forbidden(pod, `the integer value of priority (${stated}) must not be provided in pod spec; priority admission controller computed ${resolved.priority} from the given PriorityClass name`);
  }
  if (resolved.className !== '') spec.priorityClassName = resolved.className;
  spec.priority = resolved.priority;
  if (resolved.preemptionPolicy === undefined) return;
  const statedPolicy = str(spec.preemptionPolicy);
  if (statedPolicy !== '' && statedPolicy !== resolved.preemptionPolicy) {
    throw forbidden(pod, `the string value of PreemptionPolicy (${statedPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name`);
  }
  spec.preemptionPolicy = resolved.preemptionPolicy;
}
