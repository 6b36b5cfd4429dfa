import { networkPoliciesInfo } from '../../../../shared/apimachinery/resources/builtin/networking.js';
import { forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { arrayOf, asObj, childObj, indexedObjs, num, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isValidPortName, isValidPortNum, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const POLICY_TYPES = ['Egress', 'Ingress'];
const CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*\/\d{1,3})$/;

/** SetDefaults_NetworkPolicy: podSelector, policyTypes from the rules present; port protocol TCP. */
function defaultNetworkPolicy(np: KubeObject): void {
  const spec = childObj(np, 'spec');
  // podSelector is a value field in Go: it is always written, `{}` when absent.
  childObj(spec, 'podSelector');
  if (arrayOf(spec.policyTypes).length === 0) {
    spec.policyTypes = arrayOf(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of [...objArray(spec.ingress), ...objArray(spec.egress)]) {
    for (const port of objArray(rule.ports)) if (port.protocol === undefined || port.protocol === null) port.protocol = 'TCP';
  }
}

function validatePort(port: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const protocol = str(port.protocol);
  if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${at}.protocol`, protocol, PROTOCOLS));
  const value = port.port;
  if (typeof value === 'number') for (const msg of isValidPortNum(value)) errs.push(invalid(`${at}.port`, value, msg));
  else if (typeof value === 'string') for (const msg of isValidPortName(value)) errs.push(invalid(`${at}.port`, value, msg));
  const endPort = num(port.endPort);
  if (endPort !== undefined) {
    if (typeof value !== 'number') errs.push(required(`${at}.port`, 'When endPort is specified, port must be specified'));
    else if (endPort < value) errs.push(invalid(`${at}.endPort`, endPort, 'must be greater than or equal to `port`'));
  }
  return errs;
}

/** ValidateNetworkPolicyPeer: one of pod/namespace selectors, or an ipBlock alone. */
function validatePeer(peer: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const selectors = ['podSelector', 'namespaceSelector'].filter((k) => asObj(peer[k]) !== undefined);
  for (const k of selectors) errs.push(...validateLabelSelector(peer[k], `${at}.${k}`));
  const block = asObj(peer.ipBlock);
  const count = selectors.length + (block === undefined ? 0 : 1);
  if (count === 0) errs.push(required(at, 'must specify a peer'));
  else if (count > 1 && block !== undefined) errs.push(forbidden(at, 'may not specify both ipBlock and another peer'));
  if (block !== undefined) {
    const cidr = str(block.cidr);
    if (cidr === '') errs.push(required(`${at}.ipBlock.cidr`));
    else if (!CIDR.test(cidr)) errs.push(invalid(`${at}.ipBlock.cidr`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    arrayOf(block.except).forEach((except, i) => {
      if (!CIDR.test(str(except))) errs.push(invalid(`${at}.ipBlock.except[${i}]`, except, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    });
  }
  return errs;
}

function validateRules(rules: unknown, field: 'ingress' | 'egress'): FieldError[] {
  const peers = field === 'ingress' ? 'from' : 'to';
  const errs: FieldError[] = [];
  for (const [i, rule] of indexedObjs(rules)) {
    const at = `spec.${field}[${i}]`;
    for (const [j, port] of indexedObjs(rule.ports)) errs.push(...validatePort(port, `${at}.ports[${j}]`));
    for (const [j, peer] of indexedObjs(rule[peers])) errs.push(...validatePeer(peer, `${at}.${peers}[${j}]`));
  }
  return errs;
}

function validateNetworkPolicy(np: KubeObject): FieldError[] {
  const spec = asObj(np.spec) ?? {};
  const errs = [
    ...validateObjectMeta(np, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    ...validateLabelSelector(spec.podSelector, 'spec.podSelector'),
    ...validateRules(spec.ingress, 'ingress'),
    ...validateRules(spec.egress, 'egress'),
  ];
  const types = arrayOf(spec.policyTypes);
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(str(t))) errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}

/** networking.k8s.io/v1 networkpolicies: stored and served; nothing enforces them yet (docs/kinds.md). */
export function networkPoliciesResource(): ResourceDefinition {
  return defineResource(networkPoliciesInfo(), {
    tracksGeneration: true,
    applyDefaults: defaultNetworkPolicy,
    validateCreate: validateNetworkPolicy,
  });
}
