import { endpointsInfo } from '../../../../shared/apimachinery/resources/builtin/endpoints.js';
import { invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defaultField, indexedObjs, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateEndpointIP, validateEndpointPort } from './endpoint-address-rules.js';

/** SetDefaults_EndpointPort: a port without protocol is TCP. */
function defaultEndpoints(ep: KubeObject): void {
  for (const subset of objArray(ep.subsets)) for (const port of objArray(subset.ports)) defaultField(port, 'protocol', 'TCP');
}

function validateAddress(address: Obj, path: string): FieldError[] {
  const errs = validateEndpointIP(str(address.ip), `${path}.ip`);
  const hostname = str(address.hostname);
  if (hostname !== '') for (const msg of isDNS1123Label(hostname)) errs.push(invalid(`${path}.hostname`, hostname, msg));
  const nodeName = str(address.nodeName);
  if (nodeName !== '') for (const msg of isDNS1123Subdomain(nodeName)) errs.push(invalid(`${path}.nodeName`, nodeName, msg));
  return errs;
}

/** ValidateEndpoints: each subset has addresses (ready or not) and well-formed ports. */
function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs = validateObjectMeta(ep, { namespaced: true, nameRule: nameIsDNSSubdomain });
  for (const [i, subset] of indexedObjs(ep.subsets)) {
    const path = `subsets[${i}]`;
    const ready = indexedObjs(subset.addresses);
    const notReady = indexedObjs(subset.notReadyAddresses);
    if (ready.length === 0 && notReady.length === 0) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [j, address] of ready) errs.push(...validateAddress(address, `${path}.addresses[${j}]`));
    for (const [j, address] of notReady) errs.push(...validateAddress(address, `${path}.notReadyAddresses[${j}]`));
    const ports = indexedObjs(subset.ports);
    const names = new Set<string>();
    for (const [j, port] of ports) errs.push(...validateEndpointPort(port, `${path}.ports[${j}]`, ports.length > 1, names));
  }
  return errs;
}

/** core/v1 endpoints. */
export function endpointsResource(): ResourceDefinition {
  return defineResource(endpointsInfo(), {
    applyDefaults: defaultEndpoints,
    validateCreate: validateEndpoints,
  });
}
