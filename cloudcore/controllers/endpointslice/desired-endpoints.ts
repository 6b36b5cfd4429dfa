import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj } from '../../../shared/k8s/object-access.js';
import {
  endpointPortsFor,
  isPodReady,
  isPodTerminal,
  podHostnameFor,
  podIPFor,
  podNodeName,
  podReference,
  selectsPod,
  serviceAddressFamily,
  type EndpointPort,
} from '../endpoint-pods/index.js';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

/** The endpoints that share one set of resolved ports, keyed by endpointKey. */
export interface EndpointGroup {
  ports: EndpointPort[];
  endpoints: Map<string, SliceEndpoint>;
}

/** An endpoint's identity across syncs: its pod and address. */
export function endpointKey(endpoint: { addresses?: unknown; targetRef?: unknown }): string {
  const uid = (asObj(endpoint.targetRef)?.uid as string | undefined) ?? '';
  const first = Array.isArray(endpoint.addresses) ? String(endpoint.addresses[0] ?? '') : '';
  return `${uid}/${first}`;
}

export const portsKey = (ports: unknown): string => JSON.stringify(Array.isArray(ports) ? ports : []);

/**
 * The endpoints of a Service as Kubernetes' EndpointSlice controller derives them from its pods:
 * every selected pod with an IP of the Service's family that has not finished, terminating ones
 * included (getEndpointFromPod): serving = Ready, terminating = being deleted, ready = serving and
 * not terminating, or always with publishNotReadyAddresses. Grouped by the pod's resolved ports.
 */
export function desiredEndpointGroups(service: KubeObject, selector: Record<string, string>, pods: Iterable<KubeObject>): Map<string, EndpointGroup> {
  const publishNotReady = asObj(service.spec)?.publishNotReadyAddresses === true;
  const family = serviceAddressFamily(service);
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== service.metadata.namespace || !selectsPod(selector, pod)) continue;
    const ip = podIPFor(pod, family);
    if (ip === '' || isPodTerminal(pod)) continue;
    const serving = isPodReady(pod);
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const hostname = podHostnameFor(service, pod);
    const nodeName = podNodeName(pod);
    const endpoint: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname !== '' ? { hostname } : {}),
      ...(nodeName !== '' ? { nodeName } : {}),
      targetRef: podReference(pod),
    };
    const ports = endpointPortsFor(service, pod);
    const key = portsKey(ports);
    const group = groups.get(key) ?? { ports, endpoints: new Map<string, SliceEndpoint>() };
    groups.set(key, group);
    group.endpoints.set(endpointKey(endpoint), endpoint);
  }
  return groups;
}
