import { duplicate, forbidden, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { validateDNS1123LabelField } from './container-validation.js';
import { VOLUME_SOURCES } from './pod-spec-defaults.js';

/** Per-source fields Kubernetes requires (validateConfigMapVolumeSource and friends). */
const REQUIRED_SOURCE_FIELDS: Record<string, string> = {
  configMap: 'name',
  secret: 'secretName',
  hostPath: 'path',
  persistentVolumeClaim: 'claimName',
  nfs: 'path',
};

function validateSource(volume: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const present = VOLUME_SOURCES.filter((s) => volume[s] !== undefined && volume[s] !== null);
  if (present.length === 0) return [required(path, 'must specify a volume type')];
  for (const extra of present.slice(1)) errs.push(forbidden(`${path}.${extra}`, 'may not specify more than 1 volume type'));
  const first = present[0] ?? '';
  const requiredField = REQUIRED_SOURCE_FIELDS[first];
  const src = asObj(volume[first]);
  if (requiredField !== undefined && src !== undefined && str(src[requiredField]) === '') {
    errs.push(required(`${path}.${first}.${requiredField}`));
  }
  return errs;
}

/** ValidateVolumes: names (DNS-1123 label, unique) and exactly one source each. Returns the names. */
export function validateVolumes(volumes: unknown, path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, volume] of indexedObjs(volumes)) {
    const p = `${path}[${i}]`;
    errors.push(...validateSource(volume, p));
    const name = str(volume.name);
    if (name === '') errors.push(required(`${p}.name`));
    else errors.push(...validateDNS1123LabelField(name, `${p}.name`));
    if (names.has(name)) errors.push(duplicate(`${p}.name`, name));
    else names.add(name);
  }
  return { errors, names };
}
