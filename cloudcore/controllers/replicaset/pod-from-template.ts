import type { KubeObject, OwnerReference } from '../../../shared/k8s/types.js';
import { asObj, stringMap } from '../../../shared/k8s/object-access.js';

/** The controller reference a ReplicaSet puts on the pods it creates or adopts. */
export function controllerRefTo(rs: KubeObject): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/**
 * A new pod from the ReplicaSet's template, as Kubernetes' pod control builds it: generateName
 * `<rs>-`, the template's labels, annotations and finalizers, and the ReplicaSet as controller.
 */
export function podFromTemplate(rs: KubeObject): KubeObject {
  const template = asObj(asObj(rs.spec)?.template) ?? {};
  const templateMeta = asObj(template.metadata) ?? {};
  const labels = stringMap(templateMeta.labels);
  const annotations = stringMap(templateMeta.annotations);
  const finalizers = Array.isArray(templateMeta.finalizers) ? templateMeta.finalizers.filter((f): f is string => typeof f === 'string') : [];
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name ?? ''}-`,
      namespace: rs.metadata.namespace,
      labels,
      ownerReferences: [controllerRefTo(rs)],
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(finalizers.length > 0 ? { finalizers } : {}),
    },
    spec: structuredClone(asObj(template.spec) ?? {}),
  };
  return pod;
}
