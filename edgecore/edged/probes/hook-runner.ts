/**
 * Runs a postStart or preStop hook (kubelet's lifecycle handlers.go HandlerRunner): exec through
 * ExecSync (a non-zero exit fails the hook), httpGet (only a request that gets no answer fails it:
 * kubelet does not look at the status), sleep. tcpSocket is not a hook kubelet runs ("invalid
 * handler"). The run is bounded by `limitMs` (the grace period for preStop); past it the caller
 * goes on, as kubelet's executePreStopHook does, and the hook's own ExecSync ends with the container.
 */
import type { CheckOutcome } from './check-result.js';
import type { HookHandler } from './probe-spec.js';
import { runCheck, type CheckRunners, type CheckTarget } from './run-check.js';

export type HookOutcome = { result: 'done' } | { result: 'failed'; message: string } | { result: 'timed-out' };

function hookOutcome(handler: HookHandler, outcome: CheckOutcome): HookOutcome {
  if (outcome.result === 'error') return { result: 'failed', message: outcome.message };
  if (outcome.result !== 'failure') return { result: 'done' };
  // An HTTP hook that got an answer, whatever its status, ran (kubelet's runHTTPHandler).
  if (handler.kind === 'httpGet' && outcome.output.startsWith('HTTP probe failed with statuscode')) return { result: 'done' };
  if (handler.kind === 'exec') return { result: 'failed', message: `command '${handler.command.join(' ')}' exited with a non-zero code: ${outcome.output}` };
  return { result: 'failed', message: outcome.output };
}

export async function runHook(runners: CheckRunners, handler: HookHandler, target: CheckTarget, limitMs: number): Promise<HookOutcome> {
  if (handler.kind === 'tcpSocket') return { result: 'failed', message: 'invalid handler: tcpSocket is not a lifecycle hook kubelet runs' };
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<HookOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ result: 'timed-out' }), Math.max(0, limitMs));
  });
  // ExecSync's own timeout (whole seconds, at least 1) ends the hook's process in the runtime too.
  const run = runCheck(runners, handler, target, Math.max(1, Math.ceil(limitMs / 1000))).then((outcome) => hookOutcome(handler, outcome));
  try {
    return await Promise.race([run, limit]);
  } finally {
    clearTimeout(timer);
  }
}
