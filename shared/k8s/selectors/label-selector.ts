/**
 * The internal form of a label selector (k8s.io/apimachinery/pkg/labels): an AND of
 * requirements, built from a `labelSelector=` string or a metav1.LabelSelector object, matched
 * against an object's labels and printed back in canonical form.
 */
import { fail, ok, type Result } from '../../errors.js';
import { labelKeyProblems, labelValueProblems } from './label-validation.js';

export type LabelOperator =
  | 'Equals'
  | 'DoubleEquals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Exists'
  | 'DoesNotExist'
  | 'GreaterThan'
  | 'LessThan';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** One value for the (in)equality and gt/lt operators, a sorted set for In/NotIn, none otherwise. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** All must hold (AND), sorted by key as Kubernetes keeps them. */
  readonly requirements: readonly LabelRequirement[];
  /** A null metav1.LabelSelector selects nothing (while an empty one selects everything). */
  readonly matchesNothing: boolean;
}

/** Builds one requirement, checking the key, the values and their number (labels.NewRequirement). */
export function newLabelRequirement(key: string, operator: LabelOperator, values: readonly string[]): Result<LabelRequirement> {
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) return invalid('key', key, keyProblems.join('; '));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return invalid('values', values, "for 'in', 'notin' operators, values set can't be empty");
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) return invalid('values', values, 'exact-match compatibility requires one single value');
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return invalid('values', values, 'values set must be empty for exists and does not exist');
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) return invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required");
      if (!/^[-+]?[0-9]+$/.test(values[0] ?? '')) {
        return invalid('values[0]', values[0], "for 'Gt', 'Lt' operators, the value must be an integer");
      }
      break;
  }
  for (const [index, value] of values.entries()) {
    const problems = labelValueProblems(value);
    if (problems.length > 0) return invalid(`values[${index}][${key}]`, value, problems.join('; '));
  }
  // In/NotIn values are a set: sorted and without duplicates, as Kubernetes prints them.
  const normalized = operator === 'In' || operator === 'NotIn' ? [...new Set(values)].sort() : [...values];
  return ok({ key, operator, values: normalized });
}

function invalid(field: string, value: unknown, detail: string): Result<never> {
  return fail('Invalid', `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`);
}

/** A selector from requirements, sorted by key (stable), as labels.NewSelector().Add does. */
export function labelSelectorOf(requirements: readonly LabelRequirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { requirements: sorted, matchesNothing: false };
}

/** Selects every object: the empty selector string or `{}`. */
export function everythingSelector(): LabelSelector {
  return { requirements: [], matchesNothing: false };
}

/** Selects no object: a null metav1.LabelSelector. */
export function nothingSelector(): LabelSelector {
  return { requirements: [], matchesNothing: true };
}

/**
 * A selector requiring each label of a plain map (Service.spec.selector, nodeSelector,
 * ReplicationController.spec.selector), like labels.SelectorFromSet. An empty map selects
 * everything. The map is trusted to be valid already (it passed validation when written).
 */
export function labelSelectorFromMap(labels: Readonly<Record<string, string>> | undefined): LabelSelector {
  const requirements = Object.entries(labels ?? {}).map(
    ([key, value]): LabelRequirement => ({ key, operator: 'Equals', values: [value] }),
  );
  return labelSelectorOf(requirements);
}

export function selectorIsEmpty(selector: LabelSelector): boolean {
  return !selector.matchesNothing && selector.requirements.length === 0;
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector.matchesNothing) return false;
  return selector.requirements.every((requirement) => requirementMatches(requirement, labels ?? {}));
}

function requirementMatches(requirement: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'Equals':
    case 'DoubleEquals':
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'GreaterThan':
    case 'LessThan': {
      // Both sides must be integers; a label that is not one never matches.
      if (value === undefined || !/^[-+]?[0-9]+$/.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(requirement.values[0] ?? '0');
      return requirement.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

/** The canonical string (labels.Selector.String()), e.g. `app=web,tier in (a,b)`. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements.map(formatRequirement).join(',');
}

function formatRequirement(requirement: LabelRequirement): string {
  const { key, values } = requirement;
  switch (requirement.operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'Equals':
      return `${key}=${values[0] ?? ''}`;
    case 'DoubleEquals':
      return `${key}==${values[0] ?? ''}`;
    case 'NotEquals':
      return `${key}!=${values[0] ?? ''}`;
    case 'In':
      return `${key} in (${values.join(',')})`;
    case 'NotIn':
      return `${key} notin (${values.join(',')})`;
    case 'GreaterThan':
      return `${key}>${values[0] ?? ''}`;
    case 'LessThan':
      return `${key}<${values[0] ?? ''}`;
  }
}
