import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { shownValue } from '../../../../shared/apimachinery/errors/shown-value.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import { parseQuantity, QUANTITY_FORMAT } from '../common/quantity.js';

/** A resource list's entry as the error shows it. */
export function quantityText(value: unknown): string {
  return shownValue(value, Number.MAX_SAFE_INTEGER);
}

/**
 * A map of resource name → quantity (capacity, hard, min, max …): each value a quantity, none
 * negative. Paths are Kubernetes' `spec.hard[cpu]`.
 */
export function validateQuantityMap(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(asObj(value) ?? {})) {
    const parsed = parseQuantity(q);
    if (parsed === undefined) errs.push(invalid(`${path}[${name}]`, quantityText(q), `quantities must match the regular expression '${QUANTITY_FORMAT}'`));
    else if (parsed < 0) errs.push(invalid(`${path}[${name}]`, quantityText(q), 'must be greater than or equal to 0'));
  }
  return errs;
}
