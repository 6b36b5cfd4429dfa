import { ingressClassesInfo } from '../../../../shared/apimachinery/resources/builtin/networking.js';
import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';

const SCOPES = ['Cluster', 'Namespace'];
const MAX_CONTROLLER_LENGTH = 250;

/** IsDomainPrefixedPath: `example.com/controller`. */
function validateController(controller: string): FieldError[] {
  if (controller === '') return [required('spec.controller')];
  if (controller.length > MAX_CONTROLLER_LENGTH) return [{ type: 'FieldValueTooLong', field: 'spec.controller', badValue: controller, detail: `may not be more than ${MAX_CONTROLLER_LENGTH} bytes` }];
  const slash = controller.indexOf('/');
  if (slash <= 0) return [invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  return [];
}

function validateParameters(parameters: unknown): FieldError[] {
  const params = asObj(parameters);
  if (params === undefined) return [];
  const errs: FieldError[] = [];
  const at = 'spec.parameters';
  if (str(params.kind) === '') errs.push(required(`${at}.kind`));
  if (str(params.name) === '') errs.push(required(`${at}.name`));
  const scope = str(params.scope);
  if (!SCOPES.includes(scope)) errs.push(notSupported(`${at}.scope`, scope, SCOPES));
  if (scope === 'Namespace' && str(params.namespace) === '') errs.push(required(`${at}.namespace`, '`parameters.scope` is set to "Namespace"'));
  if (scope === 'Cluster' && params.namespace !== undefined) errs.push({ type: 'FieldValueForbidden', field: `${at}.namespace`, detail: '`parameters.scope` is set to "Cluster"' });
  return errs;
}

function validateIngressClass(ic: KubeObject): FieldError[] {
  const spec = asObj(ic.spec) ?? {};
  return [
    ...validateObjectMeta(ic, { namespaced: false, nameRule: nameIsDNSSubdomain }),
    ...validateController(str(spec.controller)),
    ...validateParameters(spec.parameters),
  ];
}

/** networking.k8s.io/v1 ingressclasses (cluster-scoped); parameters default to scope Cluster. */
export function ingressClassesResource(): ResourceDefinition {
  return defineResource(ingressClassesInfo(), {
    tracksGeneration: true,
    applyDefaults: (ic) => {
      const params = asObj(asObj(ic.spec)?.parameters);
      if (params !== undefined && (params.scope === undefined || params.scope === null)) params.scope = 'Cluster';
    },
    validateCreate: validateIngressClass,
    validateUpdate: (ic, old) => [
      ...validateIngressClass(ic),
      ...validateImmutable(asObj(ic.spec)?.controller, asObj(old.spec)?.controller, 'spec.controller'),
    ],
  });
}
