import { isIPv4, isIPv6 } from 'node:net';
import { invalid, notSupported, required, duplicate, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { str, num, type Obj } from '../../../../shared/k8s/object-access.js';
import { isDNS1123Label, isValidPortNum } from '../common/name-rules.js';

/** The protocols a Service, Endpoints or EndpointSlice port may carry. */
export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/**
 * ValidateNonSpecialIP of Kubernetes: an endpoint's address must be a unicast address a client
 * can reach, so neither unspecified, loopback, link-local nor multicast.
 */
export function validateEndpointIP(ip: string, path: string): FieldError[] {
  if (!isIPv4(ip) && !isIPv6(ip)) return [invalid(path, ip, 'must be a valid IP address')];
  if (ip === '0.0.0.0' || ip === '::') return [invalid(path, ip, 'may not be unspecified (0.0.0.0)')];
  if (ip.startsWith('127.') || ip === '::1') return [invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (ip.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(ip)) return [invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  const first = Number(ip.split('.')[0]);
  if ((isIPv4(ip) && first >= 224 && first <= 239) || /^ff/i.test(ip)) return [invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

/** An endpoint port: a DNS-label name (required when there are several), a port number, a protocol. */
export function validateEndpointPort(port: Obj, path: string, requireName: boolean, names: Set<string>, allowNoPort = false): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(port.name);
  if (requireName && name === '') errs.push(required(`${path}.name`));
  else if (name !== '') {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  const number = num(port.port);
  if (!(allowNoPort && number === undefined)) for (const msg of isValidPortNum(number ?? 0)) errs.push(invalid(`${path}.port`, number ?? 0, msg));
  const protocol = str(port.protocol);
  if (protocol === '') errs.push(required(`${path}.protocol`));
  else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, PORT_PROTOCOLS));
  return errs;
}
