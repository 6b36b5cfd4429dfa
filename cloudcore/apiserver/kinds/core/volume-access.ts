import { forbidden, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { arrayOf, str } from '../../../../shared/k8s/object-access.js';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

/** The access modes of a PV or PVC: at least one, each known, ReadWriteOncePod alone. */
export function validateAccessModes(modes: unknown, path: string, requiredDetail?: string): FieldError[] {
  const list = arrayOf(modes);
  if (list.length === 0) return [required(path, requiredDetail)];
  const errs: FieldError[] = [];
  for (const mode of list) if (!ACCESS_MODES.includes(str(mode))) errs.push(notSupported(path, mode, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validateVolumeMode(mode: unknown, path: string): FieldError[] {
  return mode === undefined || mode === null || VOLUME_MODES.includes(str(mode)) ? [] : [notSupported(path, mode, VOLUME_MODES)];
}
