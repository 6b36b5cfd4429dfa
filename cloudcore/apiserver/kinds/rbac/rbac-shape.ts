import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { isRecord } from '../../../../shared/k8s/types.js';

/**
 * The JSON types of the RBAC fields. Built-in kinds are type-checked by their generated schema
 * when decoded; the RBAC kinds have none in that table, so a value of the wrong type (a string
 * for `verbs`, a number among the rules) is refused here instead of being stored and then
 * ignored by the authorizer (docs/rbac.md § Kinds).
 */
const RULE_LISTS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;
const SUBJECT_FIELDS = ['kind', 'apiGroup', 'name', 'namespace'] as const;
const ROLE_REF_FIELDS = ['apiGroup', 'kind', 'name'] as const;

function stringList(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [invalid(path, value, 'must be a list of strings')];
  return value.flatMap((item, i) => (typeof item === 'string' ? [] : [invalid(`${path}[${i}]`, item, 'must be a string')]));
}

function stringFields(obj: Record<string, unknown>, fields: readonly string[], path: string): FieldError[] {
  return fields.flatMap((field) => {
    const value = obj[field];
    return value === undefined || value === null || typeof value === 'string' ? [] : [invalid(`${path}.${field}`, value, 'must be a string')];
  });
}

function objectList(value: unknown, path: string, each: (item: Record<string, unknown>, path: string) => FieldError[]): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [invalid(path, value, 'must be a list of objects')];
  return value.flatMap((item, i) => (isRecord(item) ? each(item, `${path}[${i}]`) : [invalid(`${path}[${i}]`, item, 'must be an object')]));
}

export function ruleShape(rules: unknown): FieldError[] {
  return objectList(rules, 'rules', (rule, path) => RULE_LISTS.flatMap((field) => stringList(rule[field], `${path}.${field}`)));
}

export function bindingShape(binding: Record<string, unknown>): FieldError[] {
  const errs = objectList(binding.subjects, 'subjects', (subject, path) => stringFields(subject, SUBJECT_FIELDS, path));
  const ref = binding.roleRef;
  if (ref !== undefined && ref !== null && !isRecord(ref)) errs.push(invalid('roleRef', ref, 'must be an object'));
  if (isRecord(ref)) errs.push(...stringFields(ref, ROLE_REF_FIELDS, 'roleRef'));
  return errs;
}

export function aggregationShape(rule: unknown): FieldError[] {
  if (rule === undefined || rule === null) return [];
  if (!isRecord(rule)) return [invalid('aggregationRule', rule, 'must be an object')];
  return objectList(rule.clusterRoleSelectors, 'aggregationRule.clusterRoleSelectors', () => []);
}
