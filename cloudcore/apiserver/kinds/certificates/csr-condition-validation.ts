import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { str, type Obj } from '../../../../shared/k8s/object-access.js';
import { APPROVED, BUILTIN_CONDITION_TYPES, DENIED } from './csr-fields.js';

const STATUSES = ['True', 'False', 'Unknown'];

/**
 * status.conditions of a CertificateSigningRequest, as Kubernetes validates them
 * (docs/users.md § Approval): Approved, Denied and Failed appear at most once and only with status
 * True; Approved and Denied exclude each other; once there, neither may be removed.
 */
export function validateConditions(conditions: Obj[], old: Obj[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const path = `status.conditions[${i}]`;
    const type = str(c.type);
    const status = str(c.status);
    if (type === '') errs.push(required(`${path}.type`));
    if (status === '') errs.push(required(`${path}.status`));
    else if (BUILTIN_CONDITION_TYPES.includes(type) && status !== 'True') errs.push(notSupported(`${path}.status`, status, ['True']));
    else if (!STATUSES.includes(status)) errs.push(notSupported(`${path}.status`, status, STATUSES));
    if (BUILTIN_CONDITION_TYPES.includes(type)) {
      if (seen.has(type)) errs.push(duplicate(`${path}.type`, type));
      seen.add(type);
    }
  });
  if (seen.has(APPROVED) && seen.has(DENIED)) errs.push(invalid('status.conditions', `${APPROVED}, ${DENIED}`, 'Approved and Denied conditions are mutually exclusive'));
  for (const type of [APPROVED, DENIED]) {
    if (old.some((c) => str(c.type) === type) && !seen.has(type)) errs.push(forbidden('status.conditions', `updates may not remove a condition of type "${type}"`));
  }
  return errs;
}
