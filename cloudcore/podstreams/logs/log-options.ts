/**
 * PodLogOptions from the query string (k8s.io/api core/v1 PodLogOptions, as kubectl sends them:
 * docs/kubectl.md § Reads), checked as the API server's ValidatePodLogOptions checks them.
 */
import { queryBool } from '../../../shared/apimachinery/endpoints/bool-param.js';
import { INT64_MAX } from '../../../shared/apimachinery/endpoints/integer-param.js';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { containerNamesOf } from '../target/stream-target.js';

export interface PodLogOptions {
  container: string | undefined;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number | undefined;
  sinceSeconds: number | undefined;
  sinceTime: string | undefined;
  limitBytes: number | undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function integer(query: URLSearchParams, name: string, min: number): Result<number | undefined> {
  const value = query.get(name);
  if (value === null || value === '') return ok(undefined);
  // Go's strconv.ParseInt(value, 10, 64), as the apiserver's parameter codec reads int64 fields: a sign, leading zeros.
  if (!/^[+-]?\d+$/.test(value) || BigInt(value) > INT64_MAX || BigInt(value) < -INT64_MAX - 1n) {
    return fail('BadRequest', `${name}: invalid value ${JSON.stringify(value)}: must be an integer`);
  }
  const n = Math.max(Math.min(Number(value), Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
  if (n < min) return fail('BadRequest', `${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return ok(n);
}

export function parsePodLogOptions(query: URLSearchParams): Result<PodLogOptions> {
  const tailLines = integer(query, 'tailLines', 0);
  if (!tailLines.ok) return tailLines;
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  if (!sinceSeconds.ok) return sinceSeconds;
  const limitBytes = integer(query, 'limitBytes', 1);
  if (!limitBytes.ok) return limitBytes;
  const sinceTime = query.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && !RFC3339.test(sinceTime)) return fail('BadRequest', `sinceTime: invalid value ${JSON.stringify(sinceTime)}: must be an RFC 3339 time`);
  if (sinceTime !== undefined && sinceSeconds.value !== undefined) return fail('BadRequest', 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  const container = query.get('container') ?? undefined;
  return ok({
    container: container === '' ? undefined : container,
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    tailLines: tailLines.value,
    sinceSeconds: sinceSeconds.value,
    sinceTime,
    limitBytes: limitBytes.value,
  });
}

/**
 * The container a log request is for, with the API server's messages (pkg/registry/core/pod
 * strategy.go LogLocation): one container is the default; several need a name.
 */
export function resolveLogContainer(podName: string, spec: Record<string, unknown>, requested: string | undefined): Result<string> {
  const containers = containerNamesOf(spec.containers);
  const initContainers = containerNamesOf(spec.initContainers);
  if (requested === undefined) {
    if (containers.length === 1) return ok(containers[0] as string);
    if (containers.length === 0) return fail('BadRequest', `a container name must be specified for pod ${podName}`);
    let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (initContainers.length > 0) message += ` or one of the init containers: [${initContainers.join(' ')}]`;
    return fail('BadRequest', message);
  }
  const all = [...containers, ...initContainers, ...containerNamesOf(spec.ephemeralContainers)];
  if (!all.includes(requested)) return fail('BadRequest', `container ${requested} is not valid for pod ${podName}`);
  return ok(requested);
}
