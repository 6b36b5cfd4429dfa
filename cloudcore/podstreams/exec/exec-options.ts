/**
 * PodExecOptions from the query (core/v1 PodExecOptions: command repeated, container, stdin,
 * stdout, stderr, tty) and the container they address, with the API server's messages
 * (pkg/registry/core/pod/rest/subresources.go, strategy.go streamLocation).
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { containerNamesOf } from '../target/stream-target.js';

export interface ExecOptions {
  command: string[];
  container: string | undefined;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function flag(query: URLSearchParams, name: string): Result<boolean> {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return ok(false);
  if (value === 'true' || value === '1') return ok(true);
  return fail('BadRequest', `invalid value for ${name}: ${JSON.stringify(value)} (true or false)`);
}

export function parseExecOptions(query: URLSearchParams): Result<ExecOptions> {
  const flags: Record<'stdin' | 'stdout' | 'stderr' | 'tty', boolean> = { stdin: false, stdout: false, stderr: false, tty: false };
  for (const name of ['stdin', 'stdout', 'stderr', 'tty'] as const) {
    const parsed = flag(query, name);
    if (!parsed.ok) return parsed;
    flags[name] = parsed.value;
  }
  const command = query.getAll('command');
  if (command.length === 0) return fail('BadRequest', 'you must specify at least 1 command');
  if (!flags.stdin && !flags.stdout && !flags.stderr) return fail('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  // A terminal merges stderr into stdout (kubelet refuses both; kubectl never asks for both).
  if (flags.tty && flags.stderr) return fail('BadRequest', 'tty and stderr cannot both be true');
  const container = query.get('container') ?? '';
  return ok({ command, container: container === '' ? undefined : container, ...flags });
}

/** The container to exec into: the one named, or the only one. */
export function resolveExecContainer(podName: string, spec: Record<string, unknown>, requested: string | undefined): Result<string> {
  const containers = containerNamesOf(spec.containers);
  if (requested === undefined) {
    if (containers.length === 1) return ok(containers[0] as string);
    return fail('BadRequest', `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`);
  }
  const all = [...containers, ...containerNamesOf(spec.initContainers), ...containerNamesOf(spec.ephemeralContainers)];
  if (!all.includes(requested)) return fail('BadRequest', `container ${requested} is not valid for pod ${podName}`);
  return ok(requested);
}
