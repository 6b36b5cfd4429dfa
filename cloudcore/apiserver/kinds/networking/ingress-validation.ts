import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../common/name-rules.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const IP_V4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

/** IsWildcardDNS1123Subdomain: `*.` followed by a DNS subdomain. */
function wildcardErrors(host: string): string[] {
  const rest = host.slice(2);
  if (!host.startsWith('*.') || isDNS1123Subdomain(rest).length > 0) {
    return ["a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"];
  }
  return [];
}

/** A rule's or TLS entry's host: a DNS name or a wildcard one, never an IP address. */
export function validateHost(host: string, path: string): FieldError[] {
  if (IP_V4.test(host) || host.includes(':')) return [invalid(path, host, 'must be a DNS name, not an IP address')];
  const messages = host.startsWith('*') ? wildcardErrors(host) : isDNS1123Subdomain(host);
  return messages.map((msg) => invalid(path, host, msg));
}

/** validateIngressBackend: a service (name and one of port name/number) or a resource reference. */
export function validateBackend(backend: Obj, path: string): FieldError[] {
  const service = asObj(backend.service);
  const resource = asObj(backend.resource);
  if (service !== undefined && resource !== undefined) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (resource !== undefined) {
    const errs: FieldError[] = [];
    if (str(resource.kind) === '') errs.push(required(`${path}.resource.kind`));
    if (str(resource.name) === '') errs.push(required(`${path}.resource.name`));
    return errs;
  }
  if (service === undefined) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = str(service.name);
  if (name === '') errs.push(required(`${path}.service.name`));
  else for (const msg of isDNS1035Label(name)) errs.push(invalid(`${path}.service.name`, name, msg));
  const port = asObj(service.port) ?? {};
  const portName = str(port.name);
  const portNumber = num(port.number) ?? 0;
  if (portName !== '' && portNumber !== 0) errs.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') for (const msg of isValidPortName(portName)) errs.push(invalid(`${path}.service.port.name`, portName, msg));
  else if (portNumber !== 0) for (const msg of isValidPortNum(portNumber)) errs.push(invalid(`${path}.service.port.number`, portNumber, msg));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

const FORBIDDEN_SEGMENTS = ['//', '/./', '/../', '%2f', '%2F'];
const FORBIDDEN_SUFFIXES = ['/..', '/.'];

/** validateHTTPIngressPath: pathType is required; Exact and Prefix paths are clean absolute paths. */
function validatePath(path: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const value = str(path.path);
  const pathType = path.pathType;
  if (pathType === undefined || pathType === null || pathType === '') {
    errs.push(required(`${at}.pathType`, 'pathType must be specified'));
  } else if (!PATH_TYPES.includes(str(pathType))) {
    errs.push(notSupported(`${at}.pathType`, pathType, PATH_TYPES));
  } else if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(`${at}.path`, value, 'must be an absolute path'));
    for (const segment of FORBIDDEN_SEGMENTS) if (value.includes(segment)) errs.push(invalid(`${at}.path`, value, `must not contain '${segment}'`));
    for (const suffix of FORBIDDEN_SUFFIXES) if (value.endsWith(suffix)) errs.push(invalid(`${at}.path`, value, `cannot end with '${suffix}'`));
  } else if (value !== '' && !value.startsWith('/')) {
    errs.push(invalid(`${at}.path`, value, 'must be an absolute path'));
  }
  errs.push(...validateBackend(asObj(path.backend) ?? {}, `${at}.backend`));
  return errs;
}

/** ValidateIngressSpec: a default backend or rules; each rule's host and paths; TLS hosts; the class name. */
export function validateIngressSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rules = indexedObjs(spec.rules);
  const defaultBackend = asObj(spec.defaultBackend);
  if (defaultBackend === undefined && rules.length === 0) {
    errs.push(invalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (defaultBackend !== undefined) errs.push(...validateBackend(defaultBackend, 'spec.defaultBackend'));
  for (const [i, rule] of rules) {
    const at = `spec.rules[${i}]`;
    const host = str(rule.host);
    if (host !== '') errs.push(...validateHost(host, `${at}.host`));
    const http = asObj(rule.http);
    if (http === undefined) continue;
    const paths = indexedObjs(http.paths);
    if (paths.length === 0) errs.push(required(`${at}.http.paths`));
    for (const [j, path] of paths) errs.push(...validatePath(path, `${at}.http.paths[${j}]`));
  }
  for (const [i, tls] of indexedObjs(spec.tls)) {
    (Array.isArray(tls.hosts) ? tls.hosts : []).forEach((host, j) => {
      errs.push(...validateHost(str(host), `spec.tls[${i}].hosts[${j}]`));
    });
  }
  const className = spec.ingressClassName;
  if (typeof className === 'string') for (const msg of isDNS1123Subdomain(className)) errs.push(invalid('spec.ingressClassName', className, msg));
  return errs;
}
