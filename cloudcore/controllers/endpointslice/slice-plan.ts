import type { KubeObject, OwnerReference } from '../../../shared/k8s/types.js';
import { equalJson } from '../../../shared/json/index.js';
import { objArray, str } from '../../../shared/k8s/object-access.js';
import { endpointLabels, serviceAddressFamily, type EndpointPort } from '../endpoint-pods/index.js';
import { endpointKey, portsKey, type EndpointGroup, type SliceEndpoint } from './desired-endpoints.js';

/** Kubernetes' --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  remove: KubeObject[];
}

interface Working {
  slice: KubeObject;
  ports: EndpointPort[];
  endpoints: SliceEndpoint[];
}

/** The labels and owner reference every slice of the Service carries. */
function sliceMeta(service: KubeObject): { labels: Record<string, string>; ownerReferences: OwnerReference[] } {
  const labels = { ...endpointLabels(service), [SERVICE_NAME_LABEL]: service.metadata.name ?? '', [MANAGED_BY_LABEL]: MANAGED_BY };
  const owner: OwnerReference = { apiVersion: 'v1', kind: 'Service', name: service.metadata.name ?? '', uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  return { labels, ownerReferences: [owner] };
}

function newSlice(service: KubeObject, addressType: string, ports: EndpointPort[]): KubeObject {
  const meta = sliceMeta(service);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${service.metadata.name ?? ''}-`, namespace: service.metadata.namespace ?? '', ...meta },
    addressType,
    endpoints: [],
    ports,
  };
}

/** The slice as it would be written: the Service's metadata, these ports and endpoints. */
function finished(service: KubeObject, work: Working): KubeObject {
  const meta = sliceMeta(service);
  return { ...work.slice, metadata: { ...work.slice.metadata, labels: meta.labels, ownerReferences: meta.ownerReferences }, ports: work.ports, endpoints: work.endpoints };
}

function changed(before: KubeObject, after: KubeObject): boolean {
  return !equalJson(before.endpoints ?? [], after.endpoints) || !equalJson(before.ports ?? [], after.ports)
    || !equalJson(before.metadata.labels ?? {}, after.metadata.labels) || !equalJson(before.metadata.ownerReferences ?? [], after.metadata.ownerReferences);
}

/**
 * What to write so the Service's slices hold exactly the desired endpoints, with little churn, as
 * Kubernetes' reconciler aims: an endpoint stays in the slice that holds it, new ones fill slices
 * with room (at most 100 each) before new slices are made, slices left empty go, and a Service
 * with no endpoints keeps one empty placeholder slice.
 */
export function planSlices(service: KubeObject, groups: Map<string, EndpointGroup>, existing: readonly KubeObject[]): SlicePlan {
  const addressType = serviceAddressFamily(service);
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const working: Working[] = [];
  for (const slice of existing) {
    const group = groups.get(portsKey(slice.ports));
    if (str(slice.addressType) !== addressType || group === undefined) {
      plan.remove.push(slice);
      continue;
    }
    const endpoints: SliceEndpoint[] = [];
    for (const held of objArray(slice.endpoints)) {
      const key = endpointKey(held);
      const wanted = group.endpoints.get(key);
      if (wanted === undefined) continue;
      endpoints.push(wanted);
      group.endpoints.delete(key);
    }
    working.push({ slice, ports: group.ports, endpoints });
  }
  const fresh: Working[] = [];
  for (const [key, group] of groups) {
    const pending = [...group.endpoints.values()];
    for (const work of working) {
      if (portsKey(work.ports) !== key) continue;
      while (pending.length > 0 && work.endpoints.length < MAX_ENDPOINTS_PER_SLICE) work.endpoints.push(pending.shift() as SliceEndpoint);
    }
    while (pending.length > 0) {
      fresh.push({ slice: newSlice(service, addressType, group.ports), ports: group.ports, endpoints: pending.splice(0, MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  const nonEmpty = working.filter((w) => w.endpoints.length > 0);
  const empty = working.filter((w) => w.endpoints.length === 0);
  if (nonEmpty.length === 0 && fresh.length === 0) {
    // The placeholder: no endpoints and no ports, so clients see the Service has none.
    const [keep, ...rest] = [...empty.map((w) => w.slice), ...plan.remove.filter((s) => str(s.addressType) === addressType)];
    plan.remove = plan.remove.filter((s) => s !== keep);
    plan.remove.push(...rest.filter((s) => !plan.remove.includes(s)));
    if (keep === undefined) plan.create.push(newSlice(service, addressType, []));
    else {
      const placeholder = finished(service, { slice: keep, ports: [], endpoints: [] });
      if (changed(keep, placeholder)) plan.update.push(placeholder);
    }
    return plan;
  }
  plan.remove.push(...empty.map((w) => w.slice));
  for (const work of nonEmpty) {
    const next = finished(service, work);
    if (changed(work.slice, next)) plan.update.push(next);
  }
  plan.create.push(...fresh.map((work) => finished(service, work)));
  return plan;
}
