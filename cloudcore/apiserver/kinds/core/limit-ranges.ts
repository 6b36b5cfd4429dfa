import { limitRangesInfo } from '../../../../shared/apimachinery/resources/builtin/quotas.js';
import { forbidden, invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, indexedObjs, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { parseQuantity } from '../common/quantity.js';
import type { ResourceDefinition } from '../types.js';
import { quantityText, validateQuantityMap } from './quantity-fields.js';

const MAPS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

/** The quantities of one limit item, as numbers, per map. */
function quantities(item: Obj, map: (typeof MAPS)[number]): Map<string, { value: number; text: string }> {
  const out = new Map<string, { value: number; text: string }>();
  for (const [name, q] of Object.entries(asObj(item[map]) ?? {})) {
    const value = parseQuantity(q);
    if (value !== undefined) out.set(name, { value, text: quantityText(q) });
  }
  return out;
}

/** ValidateLimitRange: min ≤ defaultRequest ≤ default ≤ max for each resource; Pod limits have no defaults. */
function validateItem(item: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const map of MAPS) errs.push(...validateQuantityMap(item[map], `${at}.${map}`));
  if (str(item.type) === 'Pod') {
    if (asObj(item.default) !== undefined) errs.push(forbidden(`${at}.default`, 'may not be specified when `type` is \'Pod\''));
    if (asObj(item.defaultRequest) !== undefined) errs.push(forbidden(`${at}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
  }
  const [max, min, def, request, ratio] = MAPS.map((m) => quantities(item, m)) as [ReturnType<typeof quantities>, ReturnType<typeof quantities>, ReturnType<typeof quantities>, ReturnType<typeof quantities>, ReturnType<typeof quantities>];
  for (const [name, lo] of min) {
    const hi = max.get(name);
    if (hi !== undefined && lo.value > hi.value) errs.push(invalid(`${at}.min[${name}]`, lo.text, `min value ${lo.text} is greater than max value ${hi.text}`));
    const dr = request.get(name);
    if (dr !== undefined && lo.value > dr.value) errs.push(invalid(`${at}.defaultRequest[${name}]`, dr.text, `min value ${lo.text} is greater than default request value ${dr.text}`));
    const d = def.get(name);
    if (d !== undefined && lo.value > d.value) errs.push(invalid(`${at}.default[${name}]`, lo.text, `min value ${lo.text} is greater than default value ${d.text}`));
  }
  for (const [name, d] of def) {
    const hi = max.get(name);
    if (hi !== undefined && d.value > hi.value) errs.push(invalid(`${at}.default[${name}]`, d.text, `default value ${d.text} is greater than max value ${hi.text}`));
    const dr = request.get(name);
    if (dr !== undefined && dr.value > d.value) errs.push(invalid(`${at}.defaultRequest[${name}]`, dr.text, `default request value ${dr.text} is greater than default limit value ${d.text}`));
  }
  for (const [name, dr] of request) {
    const hi = max.get(name);
    if (hi !== undefined && dr.value > hi.value) errs.push(invalid(`${at}.defaultRequest[${name}]`, dr.text, `default request value ${dr.text} is greater than max value ${hi.text}`));
  }
  for (const [name, r] of ratio) {
    if (r.value < 1) errs.push(invalid(`${at}.maxLimitRequestRatio[${name}]`, r.text, `ratio ${r.text} is less than 1`));
  }
  return errs;
}

function validateLimitRange(lr: KubeObject): FieldError[] {
  const errs = validateObjectMeta(lr, { namespaced: true, nameRule: nameIsDNSSubdomain });
  for (const [i, item] of indexedObjs(asObj(lr.spec)?.limits)) errs.push(...validateItem(item, `spec.limits[${i}]`));
  return errs;
}

/**
 * core/v1 limitranges: stored, served and validated; admission does not yet apply their defaults
 * or bounds to pods (docs/kinds.md). SetDefaults_LimitRangeItem: a Container item's default is its
 * max, and its defaultRequest its default (or min).
 */
export function limitRangesResource(): ResourceDefinition {
  return defineResource(limitRangesInfo(), {
    applyDefaults: (lr) => {
      for (const item of indexedObjs(asObj(lr.spec)?.limits).map(([, it]) => it)) {
        if (str(item.type) !== 'Container') continue;
        const fill = (target: 'default' | 'defaultRequest', from: Obj | undefined): void => {
          if (from === undefined) return;
          const map = asObj(item[target]) ?? {};
          for (const [name, q] of Object.entries(from)) if (map[name] === undefined) map[name] = q;
          if (Object.keys(map).length > 0) item[target] = map;
        };
        fill('default', asObj(item.max));
        fill('defaultRequest', asObj(item.default));
        fill('defaultRequest', asObj(item.min));
      }
    },
    validateCreate: validateLimitRange,
  });
}
