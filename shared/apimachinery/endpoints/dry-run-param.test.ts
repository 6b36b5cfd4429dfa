import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/status.js';
import { parseDryRun } from './dry-run-param.js';

describe('dryRun', () => {
  it('is All or nothing', () => {
    expect(parseDryRun([], 'CreateOptions')).toBe(false);
    expect(parseDryRun(['All'], 'PatchOptions')).toBe(true);
  });

  it('refuses any other value with 422 against the options kind, as ValidateDryRun', () => {
    let caught: unknown;
    try {
      parseDryRun(['true'], 'CreateOptions');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["true"]: supported values: "All"',
      details: { group: 'meta.k8s.io', kind: 'CreateOptions', causes: [{ reason: 'FieldValueNotSupported', field: 'dryRun' }] },
    });
  });
});
