import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, str, stringMap, type Obj } from '../../../shared/k8s/object-access.js';
import { COMPLETION_INDEX_KEY } from './completion-index.js';

/**
 * A pod for the Job from its template (GetPodFromTemplate): labels and annotations of the
 * template, a generated name `<job>-`, and the Job as its controller, so that the garbage
 * collector removes it with the Job.
 */
export function podForJob(job: KubeObject, index?: number): KubeObject {
  const template = asObj(asObj(job.spec)?.template) ?? {};
  const meta = asObj(template.metadata) ?? {};
  const annotations = stringMap(meta.annotations);
  const labels = stringMap(meta.labels);
  const spec: Obj = structuredClone(asObj(template.spec) ?? {});
  if (index !== undefined) withCompletionIndex(job, index, labels, annotations, spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${job.metadata.name ?? 'job'}-` : `${job.metadata.name ?? 'job'}-${index}-`,
      namespace: job.metadata.namespace ?? 'default',
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}

/**
 * An Indexed Job's pod: the index as annotation and label, JOB_COMPLETION_INDEX in every
 * container (from the annotation, as Kubernetes does), and hostname `<job>-<index>`.
 */
function withCompletionIndex(job: KubeObject, index: number, labels: Record<string, string>, annotations: Record<string, string>, spec: Obj): void {
  annotations[COMPLETION_INDEX_KEY] = String(index);
  labels[COMPLETION_INDEX_KEY] = String(index);
  if (str(spec.hostname) === '') spec.hostname = `${job.metadata.name ?? 'job'}-${index}`;
  const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } };
  for (const container of [...objArray(spec.initContainers), ...objArray(spec.containers)]) {
    container.env = [...objArray(container.env).filter((e) => e.name !== env.name), env];
  }
}
