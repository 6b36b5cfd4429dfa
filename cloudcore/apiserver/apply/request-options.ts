import { queryBool } from '../../../shared/apimachinery/endpoints/bool-param.js';
import { forbidden, required, type FieldError } from '../../../shared/k8s/field-errors.js';
import { ApiError, errors } from '../../../shared/apimachinery/errors/status.js';
import type { FieldConflict } from './apply-config.js';

/** Kubernetes' limit on a field manager's name (FieldManagerMaxLength). */
const MAX_MANAGER_LENGTH = 128;

export type WriteVerb = 'create' | 'update' | 'patch' | 'apply';

const OPTIONS_KIND: Record<WriteVerb, string> = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', apply: 'PatchOptions' };

/**
 * The manager a write is recorded under: the `fieldManager` query parameter, or else the first
 * segment of the User-Agent (`kubectl.1.32/v1.32.5 (linux/amd64) …` → `kubectl.1.32`), as the
 * apiserver does. Apply requires the parameter. Throws 422 for a name Kubernetes refuses;
 * undefined when there is nothing to go by.
 */
export function fieldManagerOf(query: URLSearchParams, userAgent: string | undefined, verb: WriteVerb): string | undefined {
  const given = query.get('fieldManager') ?? '';
  const problems = checkManagerName(given);
  if (verb === 'apply' && given === '') problems.push(required('fieldManager', 'is required for apply patch'));
  if (problems.length > 0) throw errors.invalid('meta.k8s.io', OPTIONS_KIND[verb], '', problems);
  if (given !== '') return given;
  const fromAgent = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return fromAgent === '' ? undefined : fromAgent.slice(0, MAX_MANAGER_LENGTH);
}

function checkManagerName(name: string): FieldError[] {
  const problems: FieldError[] = [];
  if (Buffer.byteLength(name) > MAX_MANAGER_LENGTH) {
    problems.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: `may not be more than ${MAX_MANAGER_LENGTH} bytes` });
  }
  let position = 0;
  for (const char of name) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char)) {
      const code = char.codePointAt(0) ?? 0;
      problems.push({
        type: 'FieldValueInvalid',
        field: 'fieldManager',
        badValue: name,
        detail: `invalid character U+${code.toString(16).toUpperCase().padStart(4, '0')} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(char);
  }
  return problems;
}

/** `force` belongs to apply only. */
export function assertNoForce(query: URLSearchParams): void {
  if (query.has('force')) {
    throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [forbidden('force', 'may not be specified for non-apply patch')]);
  }
}

export function isForced(query: URLSearchParams): boolean {
  return queryBool(query, 'force');
}

/**
 * The 409 of a conflicting apply, worded as Kubernetes words it (kubectl prints the message and
 * adds its advice about --force-conflicts):
 * `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas`.
 */
export function applyConflictError(conflicts: readonly FieldConflict[]): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: conflictMessage(conflicts),
    reason: 'Conflict',
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })) },
    code: 409,
  });
}

function conflictMessage(conflicts: readonly FieldConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) return `Apply failed with 1 conflict: conflict with ${only.manager}: ${only.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${manager}:`, ...(byManager.get(manager) ?? []).map((field) => `- ${field}`));
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
