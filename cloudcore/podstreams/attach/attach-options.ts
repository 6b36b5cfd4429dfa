/**
 * PodAttachOptions from the query (core/v1 PodAttachOptions: container, stdin, stdout, stderr,
 * tty), with kubelet's messages (pkg/kubelet/cri/streaming/remotecommand NewOptions), and the
 * terminal the attach gets: the container's own, as kubelet's GetAttach takes it from the spec.
 */
import { queryBool } from '../../../shared/apimachinery/endpoints/bool-param.js';
import { fail, ok, type Result } from '../../../shared/errors.js';

export interface AttachOptions {
  container: string | undefined;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseAttachOptions(query: URLSearchParams): Result<AttachOptions> {
  // Booleans as the apiserver's parameter codec reads them: never an error (bool-param.ts).
  const flags = { stdin: queryBool(query, 'stdin'), stdout: queryBool(query, 'stdout'), stderr: queryBool(query, 'stderr'), tty: queryBool(query, 'tty') };
  if (!flags.stdin && !flags.stdout && !flags.stderr) return fail('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  const container = query.get('container') ?? '';
  return ok({ container: container === '' ? undefined : container, ...flags });
}

/** The container spec's `tty`: whether its process runs in a terminal (it cannot change once started). */
export function containerTty(spec: Record<string, unknown>, container: string): boolean {
  const lists = [spec.containers, spec.initContainers, spec.ephemeralContainers];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    const found = list.find((c: unknown) => typeof c === 'object' && c !== null && (c as { name?: unknown }).name === container) as { tty?: unknown } | undefined;
    if (found !== undefined) return found.tty === true;
  }
  return false;
}

/**
 * The channels the attach carries: with a terminal, stderr is merged into stdout, so it is
 * dropped as kubelet drops it ("tty and stderr" is no error for attach, unlike exec).
 */
export function attachChannels(o: AttachOptions, tty: boolean): { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean } {
  return { stdin: o.stdin, stdout: o.stdout, stderr: o.stderr && !tty, tty };
}
