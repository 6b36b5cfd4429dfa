import { notSupported } from '../../k8s/field-errors.js';
import { errors } from '../errors/status.js';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/**
 * `dryRun`, a repeated parameter whose only value is `All` (kube-apiserver's ValidateDryRun,
 * docs/kubectl.md § Query parameters): any other value is 422 Invalid against the request's
 * options kind, e.g. `CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["x"]:
 * supported values: "All"`.
 */
export function parseDryRun(values: readonly string[], kind: OptionsKind): boolean {
  if (values.some((v) => v !== 'All')) throw errors.invalid('meta.k8s.io', kind, '', [notSupported('dryRun', values, ['All'])]);
  return values.length > 0;
}
