import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { GoValue } from '../common/go-format.js';
import { validateLabels, validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label } from '../common/name-rules.js';
import { asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function isHeadless(spec: Obj): boolean {
  return str(spec.clusterIP) === 'None';
}

function validateTargetPort(value: unknown, path: string): FieldError[] {
  if (typeof value === 'number') return isValidPortNum(value).map((msg) => invalid(path, value, msg));
  if (typeof value === 'string') return isValidPortName(value).map((msg) => invalid(path, value, msg));
  return [];
}

/** How Go prints the duplicated (protocol, port) key of two service ports. */
function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validatePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = indexedObjs(spec.ports);
  const names = new Set<string>();
  const keys = new Set<string>();
  const type = str(spec.type);
  for (const [i, port] of ports) {
    const p = `spec.ports[${i}]`;
    const name = str(port.name);
    if (ports.length > 1 && name === '') errs.push(required(`${p}.name`));
    else if (name !== '') {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const portNumber = num(port.port) ?? 0;
    for (const msg of isValidPortNum(portNumber)) errs.push(invalid(`${p}.port`, portNumber, msg));
    const protocol = str(port.protocol);
    if (protocol === '') errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${p}.protocol`, protocol, PROTOCOLS));
    errs.push(...validateTargetPort(port.targetPort, `${p}.targetPort`));
    const nodePort = num(port.nodePort) ?? 0;
    if (nodePort !== 0) {
      if (type === 'ClusterIP') errs.push(forbidden(`${p}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else for (const msg of isValidPortNum(nodePort)) errs.push(invalid(`${p}.nodePort`, nodePort, msg));
    }
    const key = `${protocol}/${portNumber}`;
    if (keys.has(key)) errs.push(duplicate(p, goServicePortKey(protocol, portNumber)));
    keys.add(key);
  }
  return errs;
}

/** ValidateService: the parts this server enforces. ClusterIP allocation is validated elsewhere. */
export function validateService(svc: KubeObject): FieldError[] {
  const errs = validateObjectMeta(svc, { namespaced: true, nameRule: nameIsDNS1035Label });
  const spec = asObj(svc.spec) ?? {};
  const type = str(spec.type);
  const ports = indexedObjs(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  errs.push(...validatePorts(spec));
  if (asObj(spec.selector) !== undefined) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = str(spec.sessionAffinity);
  if (affinity === '') errs.push(required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(affinity)) errs.push(notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES));
  if (type === '') errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ExternalName') {
    const externalName = str(spec.externalName);
    if (externalName === '') errs.push(required('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(externalName.replace(/\.$/, ''))) errs.push(invalid('spec.externalName', externalName, msg));
    if (str(spec.clusterIP) !== '') errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  }
  return errs;
}

export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateService(svc);
  const next = asObj(svc.spec) ?? {};
  const prev = asObj(old.spec) ?? {};
  const nextIP = str(next.clusterIP);
  const prevIP = str(prev.clusterIP);
  const switchingExternalName = str(next.type) === 'ExternalName' || str(prev.type) === 'ExternalName';
  // An allocated cluster IP stays; an update that omits it gets it back from the allocator layer.
  if (!switchingExternalName && nextIP !== '' && prevIP !== '' && nextIP !== prevIP) {
    errs.push(invalid('spec.clusterIPs[0]', nextIP, 'may not change once set'));
  }
  return errs;
}
