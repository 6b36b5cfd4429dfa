/**
 * metav1.LabelSelector objects (`spec.selector` of Deployments, ReplicaSets, DaemonSets, ...) to
 * the internal selector, as metav1.LabelSelectorAsSelector does: matchLabels become `key=value`
 * requirements, matchExpressions keep their operator. `null` selects nothing; `{}` everything.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../errors.js';
import {
  labelSelectorOf,
  newLabelRequirement,
  nothingSelector,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelector,
} from './label-selector.js';

const labelSelectorShape = z.object({
  matchLabels: z.record(z.string(), z.string()).nullish(),
  matchExpressions: z
    .array(z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() }))
    .nullish(),
});

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/** Failures have code 'Invalid': the selector is part of an object the caller is validating. */
export function labelSelectorFromObject(obj: unknown): Result<LabelSelector> {
  if (obj === null || obj === undefined) return ok(nothingSelector());
  const parsed = labelSelectorShape.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    return fail('Invalid', `invalid label selector${where === '' ? '' : ` at ${where}`}: ${issue?.message ?? 'malformed'}`);
  }
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(parsed.data.matchLabels ?? {})) {
    const requirement = newLabelRequirement(key, 'Equals', [value]);
    if (!requirement.ok) return requirement;
    requirements.push(requirement.value);
  }
  for (const expression of parsed.data.matchExpressions ?? []) {
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, expression.operator) ? EXPRESSION_OPERATORS[expression.operator] : undefined;
    if (operator === undefined) return fail('Invalid', `${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    const requirement = newLabelRequirement(expression.key, operator, expression.values ?? []);
    if (!requirement.ok) return requirement;
    requirements.push(requirement.value);
  }
  return ok(labelSelectorOf(requirements));
}
