import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, stringMap } from '../../../shared/k8s/object-access.js';
import { readPlacement, withDaemonTolerations } from './node-eligibility.js';
import { computeTemplateHash } from '../template-hash/index.js';

/** The label Kubernetes puts on a DaemonSet's pods: the hash of the template they were made from. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/**
 * The revision hash of a DaemonSet's pod template, in the shape of Kubernetes' ControllerRevision
 * names' suffix (decimal FNV-32a, safe-encoded). Pods whose label differs are old
 * (docs/daemonsets.md § Revisions).
 */
export function templateHash(ds: KubeObject): string {
  return computeTemplateHash(asObj(ds.spec)?.template ?? {});
}

/** The DaemonSet's template and its revision hash: a pod is updated when its label carries the hash. */
export function isPodUpdated(pod: KubeObject, hash: string): boolean {
  return pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
}

/**
 * Kubernetes' ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes a
 * single term naming the node, so whatever later reads the pod (a scheduler, describe) sees where
 * it belongs; the template's own terms were already checked by the controller.
 */
function nodeAffinityFor(affinity: unknown, node: string): Record<string, unknown> {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  const base = asObj(affinity) ?? {};
  const nodeAffinity = asObj(base.nodeAffinity) ?? {};
  return { ...base, nodeAffinity: { ...nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } };
}

/** A new daemon pod for `node`, bound at creation (docs/daemonsets.md § Pods). */
export function newDaemonPod(ds: KubeObject, node: string, hash: string): KubeObject {
  const template = asObj(asObj(ds.spec)?.template) ?? {};
  const meta = asObj(template.metadata) ?? {};
  const spec = structuredClone(asObj(template.spec) ?? {});
  const labels = { ...stringMap(meta.labels), [REVISION_HASH_LABEL]: hash };
  const annotations = stringMap(meta.annotations);
  spec.nodeName = node;
  spec.affinity = nodeAffinityFor(spec.affinity, node);
  spec.tolerations = withDaemonTolerations(readPlacement(spec) ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name ?? 'daemon'}-`,
      namespace: ds.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(meta.finalizers !== undefined ? { finalizers: meta.finalizers as string[] } : {}),
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec,
  };
}
