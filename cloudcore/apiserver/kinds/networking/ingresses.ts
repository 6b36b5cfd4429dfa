import { ingressesInfo } from '../../../../shared/apimachinery/resources/builtin/networking.js';
import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, objArray, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateIngressSpec } from './ingress-validation.js';

function validateIngress(ing: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(ing, { namespaced: true, nameRule: nameIsDNSSubdomain }),
    ...validateIngressSpec(asObj(ing.spec) ?? {}),
  ];
}

/** ValidateIngressLoadBalancerStatus: each address an IP, each hostname a DNS name. */
function validateIngressStatus(ing: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objArray(asObj(asObj(ing.status)?.loadBalancer)?.ingress).forEach((entry, i) => {
    const hostname = str(entry.hostname);
    if (hostname === '') return;
    for (const msg of isDNS1123Subdomain(hostname)) errs.push(invalid(`status.loadBalancer.ingress[${i}].hostname`, hostname, msg));
  });
  return errs;
}

/** networking.k8s.io/v1 ingresses: stored and served; no ingress controller acts on them (docs/kinds.md). */
export function ingressesResource(): ResourceDefinition {
  return defineResource(ingressesInfo(), {
    tracksGeneration: true,
    prepareForCreate: (ing) => {
      ing.status = {};
    },
    validateCreate: validateIngress,
    validateStatusUpdate: (ing) => [...validateObjectMeta(ing, { namespaced: true, nameRule: nameIsDNSSubdomain }), ...validateIngressStatus(ing)],
  });
}
