import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, str, stringMap } from '../../../shared/k8s/object-access.js';
import { computeTemplateHash } from '../template-hash/index.js';

/** Labels every StatefulSet pod carries (docs/statefulsets.md § Pod identity). */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** `<set>-<ordinal>`: the stable name a pod keeps however often it is re-created. */
export function podName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/** The ordinal of a pod named `<set>-<ordinal>`, or undefined for a pod that is not one of the set's identities. */
export function ordinalOf(setName: string, name: string): number | undefined {
  const match = /^(.*)-(\d+)$/.exec(name);
  if (match === null || match[1] !== setName || match[2] === undefined) return undefined;
  const ordinal = Number(match[2]);
  return Number.isSafeInteger(ordinal) ? ordinal : undefined;
}

/** The revision of a pod template, `<set>-<hash>`, as the value of the controller-revision-hash label. */
export function revisionName(setName: string, template: unknown): string {
  return `${setName}-${computeTemplateHash(template ?? {})}`;
}

export function templateOf(set: KubeObject): Record<string, unknown> {
  return asObj(asObj(set.spec)?.template) ?? {};
}

/**
 * The pod for one ordinal, as newStatefulSetPod makes it: the template's labels, annotations and
 * spec, the identity (name, hostname, subdomain from serviceName, the pod-name and pod-index
 * labels), the revision label, and the set as controlling owner. No nodeName: the scheduler binds it.
 */
export function buildPod(set: KubeObject, ordinal: number, revision: string, template: Record<string, unknown>): KubeObject {
  const setName = set.metadata.name ?? '';
  const name = podName(setName, ordinal);
  const templateMeta = asObj(template.metadata) ?? {};
  const annotations = stringMap(templateMeta.annotations);
  const spec = structuredClone(asObj(template.spec) ?? {});
  delete spec.nodeName;
  spec.hostname = name;
  const serviceName = str(asObj(set.spec)?.serviceName);
  if (serviceName !== '') spec.subdomain = serviceName;
  else delete spec.subdomain;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace ?? 'default',
      labels: { ...stringMap(templateMeta.labels), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(Array.isArray(templateMeta.finalizers) ? { finalizers: templateMeta.finalizers.filter((f): f is string => typeof f === 'string') } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: setName, uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}
