import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { formatLabelSelector as formatSelector, labelSelectorFromObject, matchesLabels } from '../../../../shared/k8s/selectors/index.js';
import type { LabelSelectorLike, SelectorRequirementLike } from './go-format.js';
import { asObj, objArray, str, stringMap } from './object-access.js';
import { validateLabels } from './meta-validation.js';
import { isQualifiedName, isValidLabelValue } from './name-rules.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Reads a metav1.LabelSelector; undefined when absent (a nil selector, which selects nothing). */
export function readLabelSelector(value: unknown): LabelSelectorLike | undefined {
  const sel = asObj(value);
  if (sel === undefined) return undefined;
  const out: LabelSelectorLike = {};
  if (asObj(sel.matchLabels) !== undefined) out.matchLabels = stringMap(sel.matchLabels);
  if (Array.isArray(sel.matchExpressions)) {
    out.matchExpressions = objArray(sel.matchExpressions).map(
      (e): SelectorRequirementLike => ({
        key: str(e.key),
        operator: str(e.operator),
        values: Array.isArray(e.values) ? e.values.map((v) => str(v)) : undefined,
      }),
    );
  }
  return out;
}

export function isEmptySelector(sel: LabelSelectorLike): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/**
 * The selector as labels.Selector.String() prints it (Scale.status.selector, `-o wide` SELECTOR):
 * requirements sorted by key; `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. A nil or empty
 * selector prints as ''; one that cannot be a selector as '<invalid>'.
 */
export function formatLabelSelector(sel: LabelSelectorLike | undefined): string {
  if (sel === undefined) return '';
  const parsed = labelSelectorFromObject(sel);
  return parsed.ok ? formatSelector(parsed.value) : '<invalid>';
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
