import { fail, ok, type Result } from '../../../shared/errors.js';
import { podSchema, type Pod } from './pod-schema.js';

/** Validates a Pod as edge.db holds it; the failure names every problem with its path. */
export function parsePod(object: unknown): Result<Pod> {
  const parsed = podSchema.safeParse(object);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? formatPath(issue.path) : '(pod)'}: ${issue.message}`);
  return fail('Invalid', `pod ${describe(object)} is invalid: ${problems.join('; ')}`);
}

/** `spec.containers[0].image`, the way Kubernetes writes field paths. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : `${text === '' ? '' : '.'}${String(segment)}`;
  return text;
}

function describe(object: unknown): string {
  const metadata = typeof object === 'object' && object !== null ? (object as { metadata?: unknown }).metadata : undefined;
  if (typeof metadata !== 'object' || metadata === null) return '(no metadata)';
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  const nameText = typeof name === 'string' ? name : '(unnamed)';
  return typeof namespace === 'string' ? `${namespace}/${nameText}` : nameText;
}
