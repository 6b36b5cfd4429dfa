import { invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import { parseQuantity, QUANTITY_FORMAT } from '../common/quantity.js';
import { shownValue } from '../../../../shared/apimachinery/errors/shown-value.js';

/** Native resources (no domain, or *kubernetes.io/) other than hugepages may be overcommitted. */
function isOvercommitAllowed(name: string): boolean {
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return native && !name.startsWith('hugepages-');
}

function quantityText(value: unknown): string {
  return shownValue(value, Number.MAX_SAFE_INTEGER); // String() throws on an object whose toString is not a function
}

function validateList(list: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list)) {
    const q = parseQuantity(value);
    if (q === undefined) errs.push(invalid(`${path}[${name}]`, quantityText(value), `quantities must match the regular expression '${QUANTITY_FORMAT}'`));
    else if (q < 0) errs.push(invalid(`${path}[${name}]`, quantityText(value), 'must be greater than or equal to 0'));
  }
  return errs;
}

/** ValidateResourceRequirements for a container: quantities, and requests within limits. */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  const res = asObj(resources);
  if (res === undefined) return [];
  const limits = asObj(res.limits) ?? {};
  const requests = asObj(res.requests) ?? {};
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const errs = [...validateList(limits, limPath), ...validateList(requests, reqPath)];
  for (const [name, value] of Object.entries(requests)) {
    const request = parseQuantity(value);
    if (request === undefined) continue;
    if (Object.hasOwn(limits, name)) {
      const limitValue = limits[name];
      const limit = parseQuantity(limitValue);
      if (limit === undefined) continue;
      if (request !== limit && !isOvercommitAllowed(name)) {
        errs.push(invalid(reqPath, quantityText(value), `must be equal to ${name} limit of ${quantityText(limitValue)}`));
      } else if (request > limit) {
        errs.push(invalid(reqPath, quantityText(value), `must be less than or equal to ${name} limit of ${quantityText(limitValue)}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
