import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import type { KubeClient } from '../api/kube-client.js';
import { boundPodBody, configMapBody, configMapsPath, GENERATION_LABEL, podsPath } from './manifests.js';
import type { OfflinePlan, PlannedChange } from './offline-plan.js';

export interface ChangeRunFigures {
  planned: number;
  applied: number;
  failures: number;
  firstFailure?: string;
  wallMs: number;
}

/** A listed object kept whole, to be written back with one field changed (PUT with its resourceVersion). */
const storedObjectSchema = z.looseObject({ metadata: z.looseObject({ name: z.string(), resourceVersion: z.string(), labels: z.record(z.string(), z.string()).optional() }) });
type StoredObject = z.infer<typeof storedObjectSchema>;

/**
 * Applies the plan through the cloud API with `concurrency` requests in flight: the configmap
 * changes first, then the pod changes. Updates are PUTs of the current object (kubectl replace),
 * retried once on a conflict; deletes use gracePeriodSeconds=0, since no kubelet runs on the edge
 * to finish a graceful one. Failures are counted, not thrown.
 */
export async function applyOfflineChanges(client: KubeClient, namespace: string, plan: OfflinePlan, concurrency: number, signal: AbortSignal): Promise<ChangeRunFigures> {
  const started = performance.now();
  const figures: ChangeRunFigures = { planned: plan.configMapChanges.length + plan.podChanges.length, applied: 0, failures: 0, wallMs: 0 };
  const count = (res: Result<unknown>): void => {
    if (res.ok) figures.applied++;
    else {
      figures.failures++;
      figures.firstFailure ??= res.message;
    }
  };
  for (const stage of [plan.configMapChanges, plan.podChanges]) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < stage.length && !signal.aborted) count(await applyChange(client, namespace, stage[next++] as PlannedChange));
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  if (signal.aborted) throw new Error('benchmark interrupted');
  figures.wallMs = performance.now() - started;
  return figures;
}

async function applyChange(client: KubeClient, namespace: string, change: PlannedChange): Promise<Result<unknown>> {
  const pods = podsPath(namespace);
  const configMaps = configMapsPath(namespace);
  switch (change.op) {
    case 'createConfigMap':
      return client.create(configMaps, configMapBody(change.name, 0));
    case 'updateConfigMap':
      return replace(client, `${configMaps}/${encodeURIComponent(change.name)}`, (cm) => {
        const fresh = JSON.parse(configMapBody(change.name, change.generation)) as { data: unknown };
        return { ...cm, apiVersion: 'v1', kind: 'ConfigMap', data: fresh.data, metadata: withGeneration(cm, change.generation) };
      });
    case 'createPod':
      return client.create(pods, boundPodBody(change.name, change.nodeName, change.refs));
    case 'relabelPod':
      return replace(client, `${pods}/${encodeURIComponent(change.name)}`, (pod) => ({ ...pod, apiVersion: 'v1', kind: 'Pod', metadata: withGeneration(pod, change.generation) }));
    case 'deletePod': {
      const res = await client.request('DELETE', `${pods}/${encodeURIComponent(change.name)}?gracePeriodSeconds=0`);
      if (!res.ok) return res;
      return res.value.status === 200 || res.value.status === 202 ? ok(undefined) : fail('Internal', `DELETE pod ${change.name}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`);
    }
  }
}

function withGeneration(obj: StoredObject, generation: number): StoredObject['metadata'] {
  return { ...obj.metadata, labels: { ...(obj.metadata.labels ?? {}), [GENERATION_LABEL]: String(generation) } };
}

/** GET, change, PUT; one more round on 409 Conflict (someone else wrote in between). */
async function replace(client: KubeClient, path: string, change: (current: StoredObject) => Record<string, unknown>): Promise<Result<unknown>> {
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await getObject(client, path);
    if (!current.ok) return current;
    const res = await client.request('PUT', path, JSON.stringify(change(current.value)));
    if (!res.ok) return res;
    if (res.value.status === 200) return ok(undefined);
    last = `PUT ${path}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`;
    if (res.value.status !== 409) break;
  }
  return fail('Conflict', last);
}

async function getObject(client: KubeClient, path: string): Promise<Result<StoredObject>> {
  const res = await client.request('GET', path);
  if (!res.ok) return res;
  if (res.value.status !== 200) return fail('NotFound', `GET ${path}: HTTP ${res.value.status}`);
  try {
    const parsed = storedObjectSchema.safeParse(JSON.parse(res.value.body.toString('utf8')));
    return parsed.success ? ok(parsed.data) : fail('Invalid', `GET ${path}: ${parsed.error.message}`);
  } catch (err) {
    return fail('Invalid', `GET ${path}: ${errorMessage(err)}`);
  }
}
