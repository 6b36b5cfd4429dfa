import { describe, expect, it } from 'vitest';
import { applyConflictError, fieldManagerOf } from './request-options.js';

describe('fieldManagerOf', () => {
  it('takes the fieldManager parameter, else the first segment of the User-Agent', () => {
    expect(fieldManagerOf(new URLSearchParams('fieldManager=kubectl-edit'), 'kubectl/v1.32', 'update')).toBe('kubectl-edit');
    expect(fieldManagerOf(new URLSearchParams(''), 'kubectl.1.32/v1.32.5 (linux/amd64) kubernetes/9894294', 'patch')).toBe('kubectl.1.32');
    expect(fieldManagerOf(new URLSearchParams(''), undefined, 'create')).toBeUndefined();
  });

  it('requires it for apply and refuses bad names with 422', () => {
    expect(() => fieldManagerOf(new URLSearchParams(''), 'kubectl/v1', 'apply')).toThrow(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(() => fieldManagerOf(new URLSearchParams({ fieldManager: 'x'.repeat(129) }), undefined, 'create')).toThrow(/Too long/);
    expect(() => fieldManagerOf(new URLSearchParams({ fieldManager: 'bad\u0007' }), undefined, 'create')).toThrow(/invalid character U\+0007/);
  });
});

describe('applyConflictError', () => {
  it('words one conflict as Kubernetes does', () => {
    const err = applyConflictError([{ manager: '"kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
      code: 409,
    });
  });

  it('groups several conflicts by manager', () => {
    const err = applyConflictError([
      { manager: '"b"', field: '.spec.replicas' },
      { manager: '"a"', field: '.metadata.labels.x' },
      { manager: '"b"', field: '.spec.paused' },
    ]);
    expect(err.message).toBe('Apply failed with 3 conflicts: conflicts with "a":\n- .metadata.labels.x\nconflicts with "b":\n- .spec.replicas\n- .spec.paused');
  });
});
