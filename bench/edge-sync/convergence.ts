import { z } from 'zod';

/*
 * What "the edge has converged" means, as pure functions: the edge must hold exactly the
 * expected objects, each at the cloud's resourceVersion (edge.db keeps the cloud's version of
 * every object, protocol.md R8), and nothing else of the kinds compared.
 */

const nameRef = z.object({ name: z.string().optional() }).optional();
const containerSchema = z.object({
  env: z.array(z.object({ valueFrom: z.object({ configMapKeyRef: nameRef }).optional() })).optional(),
  envFrom: z.array(z.object({ configMapRef: nameRef })).optional(),
});
const volumeSchema = z.object({
  configMap: nameRef,
  projected: z.object({ sources: z.array(z.object({ configMap: nameRef })).optional() }).optional(),
});

/** The fields of a listed pod the comparison needs; validated, since they come off the network. */
export const listedPodSchema = z.object({
  metadata: z.object({ uid: z.string(), resourceVersion: z.string(), name: z.string(), namespace: z.string() }),
  spec: z
    .object({
      containers: z.array(containerSchema).default([]),
      initContainers: z.array(containerSchema).optional(),
      ephemeralContainers: z.array(containerSchema).optional(),
      volumes: z.array(volumeSchema).optional(),
    })
    .default({ containers: [] }),
});
export type ListedPod = z.infer<typeof listedPodSchema>;

export const listedObjectSchema = z.object({ metadata: z.object({ uid: z.string(), resourceVersion: z.string(), name: z.string(), namespace: z.string().default('') }) });
export type ListedObject = z.infer<typeof listedObjectSchema>;

/** "namespace/name" of every configmap the pods reference: env, envFrom, volumes, projected volumes (as Kubernetes' node authorizer counts them). */
export function referencedConfigMaps(pods: readonly ListedPod[]): Set<string> {
  const out = new Set<string>();
  for (const pod of pods) {
    const add = (name: string | undefined): void => {
      if (name !== undefined && name !== '') out.add(`${pod.metadata.namespace}/${name}`);
    };
    const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])];
    for (const c of containers) {
      for (const e of c.env ?? []) add(e.valueFrom?.configMapKeyRef?.name);
      for (const e of c.envFrom ?? []) add(e.configMapRef?.name);
    }
    for (const v of pod.spec.volumes ?? []) {
      add(v.configMap?.name);
      for (const s of v.projected?.sources ?? []) add(s.configMap?.name);
    }
  }
  return out;
}

/** uid → resourceVersion. */
export type Inventory = ReadonlyMap<string, string>;

export function inventoryOf(objects: readonly ListedObject[]): Map<string, string> {
  return new Map(objects.map((o) => [o.metadata.uid, o.metadata.resourceVersion]));
}

/** The configmaps among `configMaps` that the pods reference, as an inventory. */
export function expectedConfigMaps(pods: readonly ListedPod[], configMaps: readonly ListedObject[]): Map<string, string> {
  const wanted = referencedConfigMaps(pods);
  return inventoryOf(configMaps.filter((cm) => wanted.has(`${cm.metadata.namespace}/${cm.metadata.name}`)));
}

export interface InventoryDiff {
  expected: number;
  held: number;
  /** Expected uids the edge does not hold. */
  missing: number;
  /** Held at another resourceVersion than the cloud's. */
  stale: number;
  /** Held but not expected (deleted, unbound, or never referenced). */
  extra: number;
}

export function diffInventory(expected: Inventory, held: Inventory): InventoryDiff {
  let missing = 0;
  let stale = 0;
  for (const [uid, rv] of expected) {
    const have = held.get(uid);
    if (have === undefined) missing++;
    else if (have !== rv) stale++;
  }
  let extra = 0;
  for (const uid of held.keys()) if (!expected.has(uid)) extra++;
  return { expected: expected.size, held: held.size, missing, stale, extra };
}

export function isConverged(diff: InventoryDiff): boolean {
  return diff.missing === 0 && diff.stale === 0 && diff.extra === 0;
}

export function describeDiff(kind: string, diff: InventoryDiff): string {
  return `${kind}: expected ${diff.expected}, edge holds ${diff.held} (missing ${diff.missing}, stale ${diff.stale}, extra ${diff.extra})`;
}
