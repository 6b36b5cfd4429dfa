import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, stringMap } from '../../../shared/k8s/object-access.js';

/**
 * A pod for the Job from its template (GetPodFromTemplate): labels and annotations of the
 * template, a generated name `<job>-`, and the Job as its controller, so that the garbage
 * collector removes it with the Job.
 */
export function podForJob(job: KubeObject): KubeObject {
  const template = asObj(asObj(job.spec)?.template) ?? {};
  const meta = asObj(template.metadata) ?? {};
  const annotations = stringMap(meta.annotations);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name ?? 'job'}-`,
      namespace: job.metadata.namespace ?? 'default',
      labels: stringMap(meta.labels),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(asObj(template.spec) ?? {}),
  };
}
