/**
 * PodExecOptions from the query (core/v1 PodExecOptions: command repeated, container, stdin,
 * stdout, stderr, tty) and the container they address, with the API server's messages
 * (pkg/registry/core/pod/rest/subresources.go, strategy.go streamLocation).
 */
import { queryBool } from '../../../shared/apimachinery/endpoints/bool-param.js';
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

export function parseExecOptions(query: URLSearchParams): Result<ExecOptions> {
  // Booleans as the apiserver's parameter codec reads them: never an error (bool-param.ts).
  const flags = { stdin: queryBool(query, 'stdin'), stdout: queryBool(query, 'stdout'), stderr: queryBool(query, 'stderr'), tty: queryBool(query, 'tty') };
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
