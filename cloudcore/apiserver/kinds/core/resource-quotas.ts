import { resourceQuotasInfo } from '../../../../shared/apimachinery/resources/builtin/quotas.js';
import { invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { arrayOf, asObj, indexedObjs, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isQualifiedName, nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { validateQuantityMap } from './quantity-fields.js';

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];
const SCOPE_OPERATORS = ['DoesNotExist', 'Exists', 'In', 'NotIn'];

/** ValidateResourceQuotaResourceName: `cpu`, `requests.memory`, `count/deployments.apps`, `example.com/gpu`. */
function validateResourceNames(map: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of Object.keys(asObj(map) ?? {})) {
    const checked = name.startsWith('count/') ? name.slice('count/'.length).replace(/\./g, '-') : name.replace(/^(requests|limits)\./, '');
    for (const msg of isQualifiedName(checked)) errs.push(invalid(`${path}[${name}]`, name, msg));
  }
  return errs;
}

function validateResourceQuota(quota: KubeObject): FieldError[] {
  const spec = asObj(quota.spec) ?? {};
  const errs = validateObjectMeta(quota, { namespaced: true, nameRule: nameIsDNSSubdomain });
  errs.push(...validateResourceNames(spec.hard, 'spec.hard'), ...validateQuantityMap(spec.hard, 'spec.hard'));
  const scopes = arrayOf(spec.scopes);
  if (scopes.some((s) => !SCOPES.includes(str(s)))) errs.push(invalid('spec.scopes', scopes, 'unsupported scope'));
  for (const [i, expr] of indexedObjs(asObj(spec.scopeSelector)?.matchExpressions)) {
    const at = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!SCOPES.includes(str(expr.scopeName))) errs.push(invalid(`${at}.scopeName`, expr.scopeName ?? '', 'unsupported scope'));
    if (!SCOPE_OPERATORS.includes(str(expr.operator))) errs.push(notSupported(`${at}.operator`, expr.operator ?? '', SCOPE_OPERATORS));
  }
  return errs;
}

/** core/v1 resourcequotas: stored, served and validated; no quota controller or admission enforces them yet (docs/kinds.md). */
export function resourceQuotasResource(): ResourceDefinition {
  return defineResource(resourceQuotasInfo(), {
    prepareForCreate: (quota) => {
      quota.status = {};
    },
    validateCreate: validateResourceQuota,
    validateStatusUpdate: (quota) => {
      const status = asObj(quota.status) ?? {};
      return [...validateQuantityMap(status.hard, 'status.hard'), ...validateQuantityMap(status.used, 'status.used')];
    },
  });
}
