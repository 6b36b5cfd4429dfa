import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { setKey } from './json.js';
import { cloneJson, descend, runStepwise, stringifyJson, type Step } from '../../../shared/json/index.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Keeps client-side apply's record in step after a server-side apply by kubectl (manager
 * "kubectl"), as Kubernetes does: when the live object carries the last-applied annotation, it
 * becomes the newly applied configuration, so a later client-side `kubectl apply` computes its
 * three-way merge from what was really applied last. Other managers opt out.
 */
export function syncLastApplied(live: KubeObject, result: KubeObject, config: KubeObject, manager: string): void {
  if (manager !== 'kubectl') return;
  const annotations = live.metadata.annotations;
  if (annotations === undefined || !Object.hasOwn(annotations, LAST_APPLIED_ANNOTATION)) return;
  const recorded = cloneJson(config);
  if (recorded.metadata.annotations !== undefined) delete recorded.metadata.annotations[LAST_APPLIED_ANNOTATION];
  const target = result.metadata.annotations ?? {};
  setKey(target, LAST_APPLIED_ANNOTATION, stringifyJson(sortKeys(recorded)));
  result.metadata.annotations = target;
}

/**
 * Go encodes maps with sorted keys; the annotation reads the same as one Kubernetes writes. As
 * deep as the configuration, so through runStepwise (docs/limits.md § API, "Nesting depth").
 */
function sortKeys(value: unknown): unknown {
  return runStepwise(sorted(value));
}

function* sorted(value: unknown): Step<unknown> {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(yield* descend(sorted(item)));
    return out;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) setKey(out, key, yield* descend(sorted(value[key])));
  return out;
}
