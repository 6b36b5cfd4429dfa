import { isIPv4, isIPv6 } from 'node:net';
import { endpointSlicesInfo } from '../../../../shared/apimachinery/resources/builtin/endpointslices.js';
import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { arrayOf, defaultField, indexedObjs, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateEndpointIP, validateEndpointPort } from '../core/endpoint-address-rules.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
/** Kubernetes' maxEndpoints, maxAddresses and maxPorts of an EndpointSlice. */
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

/** field.TooMany: `Too many: 1001: must have at most 1000 items`. */
function tooMany(field: string, count: number, max: number): FieldError {
  return { type: 'FieldValueTooMany', field, detail: `${count}: must have at most ${max} items` };
}

/** SetDefaults_EndpointPort of discovery/v1: name "" and protocol TCP. */
function defaultEndpointSlice(slice: KubeObject): void {
  for (const port of objArray(slice.ports)) {
    defaultField(port, 'name', '');
    defaultField(port, 'protocol', 'TCP');
  }
}

function validateAddress(addressType: string, address: string, path: string): FieldError[] {
  if (addressType === 'IPv4') return isIPv4(address) ? validateEndpointIP(address, path) : [invalid(path, address, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6') return isIPv6(address) ? validateEndpointIP(address, path) : [invalid(path, address, 'must be a valid IPv6 address')];
  if (addressType === 'FQDN') return isDNS1123Subdomain(address).map((msg) => invalid(path, address, msg));
  return [];
}

function validateEndpoint(addressType: string, endpoint: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const addresses = arrayOf(endpoint.addresses);
  if (addresses.length === 0) errs.push(required(`${path}.addresses`, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
  addresses.forEach((address, i) => errs.push(...validateAddress(addressType, str(address), `${path}.addresses[${i}]`)));
  const hostname = str(endpoint.hostname);
  if (hostname !== '') for (const msg of isDNS1123Label(hostname)) errs.push(invalid(`${path}.hostname`, hostname, msg));
  const nodeName = str(endpoint.nodeName);
  if (nodeName !== '') for (const msg of isDNS1123Subdomain(nodeName)) errs.push(invalid(`${path}.nodeName`, nodeName, msg));
  return errs;
}

/** ValidateEndpointSlice: address type, endpoints and ports within Kubernetes' bounds. */
function validateEndpointSlice(slice: KubeObject): FieldError[] {
  const errs = validateObjectMeta(slice, { namespaced: true, nameRule: nameIsDNSSubdomain });
  const addressType = str(slice.addressType);
  if (addressType === '') errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errs.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  const endpoints = indexedObjs(slice.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  for (const [i, endpoint] of endpoints) errs.push(...validateEndpoint(addressType, endpoint, `endpoints[${i}]`));
  const ports = indexedObjs(slice.ports);
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  for (const [i, port] of ports) errs.push(...validateEndpointPort(port, `ports[${i}]`, false, names, true));
  return errs;
}

/** discovery.k8s.io/v1 endpointslices; addressType never changes. */
export function endpointSlicesResource(): ResourceDefinition {
  return defineResource(endpointSlicesInfo(), {
    applyDefaults: defaultEndpointSlice,
    validateCreate: validateEndpointSlice,
    validateUpdate: (slice, old) => [...validateEndpointSlice(slice), ...validateImmutable(slice.addressType, old.addressType, 'addressType')],
  });
}
