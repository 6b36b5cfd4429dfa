import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../../../shared/k8s/selectors/index.js';
import type { LabelSelectorLike } from '../../../../shared/apimachinery/resources/label-selector-text.js';
import { asObj, objArray, str } from '../../../../shared/k8s/object-access.js';
import { validateLabels } from './meta-validation.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function isEmptySelector(sel: LabelSelectorLike): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/** Whether the selector matches the labels; a nil selector matches nothing, an empty one everything. */
export function selectorMatches(sel: LabelSelectorLike | undefined, labels: Record<string, string>): boolean {
  if (sel === undefined) return false;
  const parsed = labelSelectorFromObject(sel);
  return parsed.ok && matchesLabels(parsed.value, labels);
}

/** ValidateLabelSelector (strict values), with the apimachinery messages. */
export function validateLabelSelector(value: unknown, path: string): FieldError[] {
  const sel = asObj(value);
  if (sel === undefined) return [];
  const errs: FieldError[] = [];
  objArray(sel.matchExpressions).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const operator = str(e.operator);
    const values = Array.isArray(e.values) ? e.values.map((v) => str(v)) : [];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(str(e.key))) errs.push(invalid(`${p}.key`, str(e.key), msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(`${p}.values[${j}]`, v, msg));
    });
  });
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  return errs;
}

export const SELECTOR_OPERATORS = OPERATORS;
