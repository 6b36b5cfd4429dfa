import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { num, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { inclusiveRangeError } from '../common/name-rules.js';
import { validateTolerations } from './pod-spec-validation.js';
import { cloneJson, equalJson } from '../../../../shared/json/index.js';
import { podSpecDiff } from './pod-spec-diff.js';

/** Kubernetes' updatablePodSpecFields, in its order; part of the Forbidden message kubectl shows. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export const POD_UPDATE_FORBIDDEN = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`;

const MAX_INT32 = 2147483647;

/** ValidateContainerUpdates: same count, and every image still set. Returns stop=true on a count change. */
function validateContainerUpdates(next: unknown, prev: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const nextList = objArray(next);
  if (nextList.length !== objArray(prev).length) {
    return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  nextList.forEach((c, i) => {
    const image = str(c.image);
    if (image === '') errs.push(required(`${path}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function withoutSeconds(toleration: Obj): Obj {
  const copy = { ...toleration };
  delete copy.tolerationSeconds;
  return copy;
}

/** Existing tolerations must stay (their tolerationSeconds may change); new ones may be added. */
function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: string): FieldError[] {
  const nextList = objArray(next).map(withoutSeconds);
  for (const old of objArray(prev)) {
    const wanted = withoutSeconds(old);
    if (!nextList.some((t) => equalJson(wanted, t))) {
      return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return validateTolerations(next, path);
}

/** ValidatePodUpdate's spec rules (the new pod's own validity is checked separately). */
export function validatePodSpecUpdate(nextSpec: Obj, prevSpec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['containers', 'initContainers']) {
    const res = validateContainerUpdates(nextSpec[key], prevSpec[key], `spec.${key}`);
    errs.push(...res.errs);
    if (res.stop) return errs;
  }
  const nextDeadline = num(nextSpec.activeDeadlineSeconds);
  const prevDeadline = num(prevSpec.activeDeadlineSeconds);
  if (nextDeadline !== undefined) {
    if (nextDeadline < 0 || nextDeadline > MAX_INT32) {
      return [...errs, invalid('spec.activeDeadlineSeconds', nextDeadline, inclusiveRangeError(0, MAX_INT32))];
    }
    if (prevDeadline !== undefined && prevDeadline < nextDeadline) {
      return [...errs, invalid('spec.activeDeadlineSeconds', nextDeadline, 'must be less than or equal to previous value')];
    }
  } else if (prevDeadline !== undefined) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(nextSpec.tolerations, prevSpec.tolerations, 'spec.tolerations'));
  const prevGates = objArray(prevSpec.schedulingGates).map((g) => str(g.name));
  for (const gate of objArray(nextSpec.schedulingGates)) {
    if (!prevGates.includes(str(gate.name))) {
      errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${str(gate.name)}'`));
    }
  }

  // Put back what may change, then anything still different is forbidden.
  const munged: Obj = cloneJson(nextSpec);
  for (const key of ['containers', 'initContainers']) {
    const prevList = objArray(prevSpec[key]);
    objArray(munged[key]).forEach((c, i) => {
      const image = prevList[i]?.image;
      if (image === undefined) delete c.image;
      else c.image = image;
    });
  }
  for (const key of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates']) {
    if (prevSpec[key] === undefined) delete munged[key];
    else munged[key] = prevSpec[key];
  }
  const prevGrace = num(prevSpec.terminationGracePeriodSeconds);
  if (prevGrace !== undefined && prevGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = prevGrace;
  if (!equalJson(munged, prevSpec)) {
    errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${podSpecDiff(prevSpec, munged)}\n`));
  }
  return errs;
}
