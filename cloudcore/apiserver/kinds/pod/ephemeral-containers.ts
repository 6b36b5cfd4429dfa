/**
 * Ephemeral containers (`kubectl debug`), validated as Kubernetes' validateEphemeralContainers and
 * ValidatePodEphemeralContainersUpdate do, with their messages: names unique across every container
 * of the pod, the target naming a regular or init container, only the allowed fields set, and
 * through the `ephemeralcontainers` subresource only additions (docs/kubectl.md § Debug).
 */
import { duplicate, forbidden, notFound, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, objArray, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { equalJson } from '../../../../shared/json/index.js';
import { validateContainer } from './container-validation.js';
import { podSpecDiff } from './pod-spec-diff.js';

/**
 * The container fields an ephemeral container may not set, in core.Container's field order
 * (allowedEphemeralContainerFields: they would make it part of the workload).
 */
const NOT_ALLOWED = ['ports', 'resources', 'resizePolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'restartPolicy'];
const NOT_ALLOWED_TEXT = 'cannot be set for an Ephemeral Container';

/** Go's zero value as JSON shows it: absent, null, '', false, 0, an empty list or an empty object. */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  const obj = asObj(value);
  return obj !== undefined && Object.keys(obj).length === 0;
}

/** validateEphemeralContainers, for a pod's spec at `path` ('spec'). */
export function validateEphemeralContainers(spec: Obj, volumeNames: ReadonlySet<string>, path: string): FieldError[] {
  const list = indexedObjs(spec.ephemeralContainers);
  if (list.length === 0) return [];
  const others = new Set([...objArray(spec.containers), ...objArray(spec.initContainers)].map((c) => str(c.name)));
  const all = new Set(others);
  const errs: FieldError[] = [];
  for (const [i, c] of list) {
    const p = `${path}.ephemeralContainers[${i}]`;
    // A restartPolicy is refused below with the ephemeral container's own words.
    const { restartPolicy: _policy, ...common } = c;
    errs.push(...validateContainer(common, volumeNames, p, false));
    const name = str(c.name);
    if (all.has(name)) errs.push(duplicate(`${p}.name`, name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target !== '' && !others.has(target)) errs.push(notFound(`${p}.targetContainerName`, target));
    for (const field of NOT_ALLOWED) if (!isZero(c[field])) errs.push(forbidden(`${p}.${field}`, NOT_ALLOWED_TEXT));
    for (const [j, mount] of indexedObjs(c.volumeMounts)) {
      for (const sub of ['subPath', 'subPathExpr']) if (!isZero(mount[sub])) errs.push(forbidden(`${p}.volumeMounts[${j}].${sub}`, NOT_ALLOWED_TEXT));
    }
  }
  return errs;
}

/** ValidatePodCreate: ephemeral containers come only through the subresource. */
export function refuseEphemeralContainersOnCreate(spec: Obj | undefined): FieldError[] {
  return objArray(spec?.ephemeralContainers).length > 0 ? [forbidden('spec.ephemeralContainers', 'cannot be set on create')] : [];
}

/** ValidatePodEphemeralContainersUpdate's second part: the existing ones stay, unchanged. */
export function validateEphemeralContainersUpdate(nextSpec: Obj, prevSpec: Obj): FieldError[] {
  const next = new Map(objArray(nextSpec.ephemeralContainers).map((c) => [str(c.name), c]));
  const errs: FieldError[] = [];
  for (const old of objArray(prevSpec.ephemeralContainers)) {
    const name = str(old.name);
    const now = next.get(name);
    if (now === undefined) errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(name)} may not be removed\n`));
    else if (!equalJson(old, now)) {
      errs.push(forbidden(`spec.ephemeralContainers[${name}]`, `existing ephemeral containers ${JSON.stringify(name)} may not be changed\n${podSpecDiff(old, now, 'core.EphemeralContainer')}\n`));
    }
  }
  return errs;
}

/** The names of the ephemeral containers `nextSpec` adds to `prevSpec`. */
export function addedEphemeralContainers(nextSpec: Obj, prevSpec: Obj): string[] {
  const before = new Set(objArray(prevSpec.ephemeralContainers).map((c) => str(c.name)));
  return objArray(nextSpec.ephemeralContainers).map((c) => str(c.name)).filter((name) => !before.has(name));
}
