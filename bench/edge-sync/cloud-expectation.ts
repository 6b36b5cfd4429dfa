import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { KubeClient } from '../api/kube-client.js';
import { expectedConfigMaps, inventoryOf, listedObjectSchema, listedPodSchema } from './convergence.js';

/** What the edge should hold, per the cloud right now: kind → (uid → resourceVersion). */
export interface CloudExpectation {
  pods: Map<string, string>;
  /** The configmaps the node's pods reference (sent to the edge once EdgeController does so). */
  configMaps: Map<string, string>;
  /** namespace/name of every pod bound to the node. */
  podKeys: string[];
}

/**
 * Lists, through the cloud API, the pods bound to the node (spec.nodeName field selector, all
 * namespaces) and the configmaps they reference, which is what the edge must converge to.
 */
export async function readCloudExpectation(client: KubeClient, nodeName: string): Promise<Result<CloudExpectation>> {
  const pods = await list(client, `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`, listedPodSchema);
  if (!pods.ok) return pods;
  const configMaps = await list(client, '/api/v1/configmaps', listedObjectSchema);
  if (!configMaps.ok) return configMaps;
  return ok({
    pods: inventoryOf(pods.value),
    configMaps: expectedConfigMaps(pods.value, configMaps.value),
    podKeys: pods.value.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
  });
}

async function list<T extends z.ZodType>(client: KubeClient, path: string, item: T): Promise<Result<Array<z.output<T>>>> {
  const res = await client.request('GET', path);
  if (!res.ok) return res;
  if (res.value.status !== 200) return fail('Unavailable', `GET ${path}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`);
  let json: unknown;
  try {
    json = JSON.parse(res.value.body.toString('utf8'));
  } catch {
    return fail('Invalid', `GET ${path}: the answer is not JSON`);
  }
  const parsed = z.object({ items: z.array(item) }).safeParse(json);
  return parsed.success ? ok(parsed.data.items) : fail('Invalid', `GET ${path}: ${parsed.error.message}`);
}
