import { isIPv6 } from 'node:net';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { arrayOf, asObj, num, objArray, str, stringMap } from '../../../shared/k8s/object-access.js';

/**
 * A Service's selector as a label map, or undefined for a Service without one: its endpoints are
 * the user's (an empty map never reaches Kubernetes' controllers either, the wire omits it).
 */
export function serviceSelector(service: KubeObject): Record<string, string> | undefined {
  const selector = stringMap(asObj(service.spec)?.selector);
  return Object.keys(selector).length === 0 ? undefined : selector;
}

/** Equality-based, like labels.SelectorFromSet: every pair present; an empty map selects nothing here (Kubernetes skips such Services). */
export function selectsPod(selector: Record<string, string>, pod: KubeObject): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  const labels = pod.metadata.labels ?? {};
  return keys.every((key) => labels[key] === selector[key]);
}

/** The Services of the pod's namespace that select it. */
export function servicesSelecting(services: Iterable<KubeObject>, pod: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  for (const service of services) {
    if (service.metadata.namespace !== pod.metadata.namespace) continue;
    const selector = serviceSelector(service);
    if (selector !== undefined && selectsPod(selector, pod)) out.push(service);
  }
  return out;
}

export function isPodReady(pod: KubeObject): boolean {
  return objArray(asObj(pod.status)?.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A pod that has finished (Succeeded or Failed) is never an endpoint (ShouldPodBeInEndpoints). */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = str(asObj(pod.status)?.phase);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The Service's address family: its first ipFamilies entry (IPv4 for this single-stack cluster by default). */
export function serviceAddressFamily(service: KubeObject): 'IPv4' | 'IPv6' {
  return str(arrayOf(asObj(service.spec)?.ipFamilies)[0]) === 'IPv6' ? 'IPv6' : 'IPv4';
}

/** The pod's IP of that family, from status.podIPs (or podIP), as its node reported them; '' when none yet. */
export function podIPFor(pod: KubeObject, family: 'IPv4' | 'IPv6'): string {
  const status = asObj(pod.status) ?? {};
  const ips = objArray(status.podIPs).map((p) => str(p.ip));
  if (ips.length === 0 && str(status.podIP) !== '') ips.push(str(status.podIP));
  return ips.find((ip) => ip !== '' && isIPv6(ip) === (family === 'IPv6')) ?? '';
}

export interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * findPort of Kubernetes: a numeric targetPort is taken as is; a named one is looked up among the
 * pod's container ports with the same protocol, so each pod may answer on its own number.
 */
function findPort(pod: KubeObject, servicePort: Record<string, unknown>): number | undefined {
  const target = servicePort.targetPort;
  const protocol = str(servicePort.protocol) || 'TCP';
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && target !== '') {
    if (/^\d+$/.test(target)) return Number(target);
    for (const container of objArray(asObj(pod.spec)?.containers)) {
      for (const port of objArray(container.ports)) {
        if (str(port.name) === target && (str(port.protocol) || 'TCP') === protocol) return num(port.containerPort);
      }
    }
    return undefined;
  }
  return num(servicePort.port);
}

/** The endpoint ports of `pod` for the Service's ports; a port whose named target the pod lacks is left out. */
export function endpointPortsFor(service: KubeObject, pod: KubeObject): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const servicePort of objArray(asObj(service.spec)?.ports)) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const appProtocol = str(servicePort.appProtocol);
    out.push({ name: str(servicePort.name), port, protocol: str(servicePort.protocol) || 'TCP', ...(appProtocol !== '' ? { appProtocol } : {}) });
  }
  return out;
}

/** The hostname a pod has under a Service: its spec.hostname when its subdomain names the Service. */
export function podHostnameFor(service: KubeObject, pod: KubeObject): string {
  const spec = asObj(pod.spec) ?? {};
  const hostname = str(spec.hostname);
  return hostname !== '' && str(spec.subdomain) === service.metadata.name ? hostname : '';
}

/** The ObjectReference an endpoint keeps to its pod. */
export function podReference(pod: KubeObject): Record<string, string> {
  return { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
}

export function podNodeName(pod: KubeObject): string {
  return str(asObj(pod.spec)?.nodeName);
}

/** The Service's labels plus the headless marker, as both controllers label what they write. */
export function endpointLabels(service: KubeObject): Record<string, string> {
  const labels = { ...(service.metadata.labels ?? {}) };
  if (str(asObj(service.spec)?.clusterIP) === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}
