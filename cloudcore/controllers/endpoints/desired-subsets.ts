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

export interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: Record<string, string>;
}

export type SubsetPort = Omit<EndpointPort, 'name'> & { name?: string };

export interface Subset {
  addresses?: Address[];
  notReadyAddresses?: Address[];
  ports?: SubsetPort[];
}

function addressOf(service: KubeObject, pod: KubeObject, ip: string): Address {
  const hostname = podHostnameFor(service, pod);
  const nodeName = podNodeName(pod);
  return { ip, ...(hostname !== '' ? { hostname } : {}), ...(nodeName !== '' ? { nodeName } : {}), targetRef: podReference(pod) };
}

const byIp = (a: Address, b: Address): number => (a.ip === b.ip ? (a.targetRef.uid ?? '').localeCompare(b.targetRef.uid ?? '') : a.ip < b.ip ? -1 : 1);
const byPort = (a: EndpointPort, b: EndpointPort): number => (a.name === b.name ? a.port - b.port : a.name < b.name ? -1 : 1);

/**
 * The subsets of a Service's Endpoints, as Kubernetes' endpoints controller builds them: each pod
 * with an IP of the Service's family that has not finished; ready pods (or all, with
 * publishNotReadyAddresses) in addresses, the others in notReadyAddresses; pods being deleted
 * left out unless unready addresses are published. Pods with the same resolved ports share a
 * subset (RepackSubsets), addresses sorted by IP.
 */
export function desiredSubsets(service: KubeObject, selector: Record<string, string>, pods: Iterable<KubeObject>): Subset[] {
  const spec = asObj(service.spec) ?? {};
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const headlessWithoutPorts = spec.clusterIP === 'None' && (!Array.isArray(spec.ports) || spec.ports.length === 0);
  const family = serviceAddressFamily(service);
  const groups = new Map<string, { ports: SubsetPort[]; ready: Address[]; notReady: Address[] }>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== service.metadata.namespace || !selectsPod(selector, pod)) continue;
    const ip = podIPFor(pod, family);
    if (ip === '' || isPodTerminal(pod)) continue;
    if (!publishNotReady && pod.metadata.deletionTimestamp !== undefined) continue;
    // core/v1 EndpointPort's name is omitempty, unlike discovery/v1's.
    const ports = headlessWithoutPorts ? [] : endpointPortsFor(service, pod).sort(byPort).map(({ name, ...rest }) => (name === '' ? rest : { name, ...rest }));
    if (!headlessWithoutPorts && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, group);
    (publishNotReady || isPodReady(pod) ? group.ready : group.notReady).push(addressOf(service, pod, ip));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => ({
      ...(group.ready.length > 0 ? { addresses: group.ready.sort(byIp) } : {}),
      ...(group.notReady.length > 0 ? { notReadyAddresses: group.notReady.sort(byIp) } : {}),
      ...(group.ports.length > 0 ? { ports: group.ports } : {}),
    }));
}
