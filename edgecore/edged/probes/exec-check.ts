/**
 * exec probes and hooks: the command runs in the container through CRI ExecSync (kubelet's
 * pkg/probe/exec and prober.newExecInContainer). Exit 0 is success; any other exit is failure with
 * the combined output; a run past its timeout is a failure "command ... timed out" (the
 * ExecProbeTimeout behaviour, GA since 1.20); any other runtime error is an error.
 */
import type { Result } from '../../../shared/errors.js';
import type { ExecSyncResult } from '../cri/index.js';
import { errored, failure, success, type CheckOutcome } from './check-result.js';

export type ExecSync = (containerId: string, cmd: string[], timeoutSeconds: number) => Promise<Result<ExecSyncResult>>;

export async function execCheck(execSync: ExecSync, containerId: string, command: readonly string[], timeoutSeconds: number): Promise<CheckOutcome> {
  if (command.length === 0) return errored('exec: no command given');
  const answer = await execSync(containerId, [...command], timeoutSeconds);
  if (!answer.ok) {
    // The CRI client reads containerd's timeout answer as code Timeout (cri/cri-client.ts).
    if (answer.code === 'Timeout') return failure(`command ${JSON.stringify(command.join(' '))} timed out`);
    return errored(answer.message);
  }
  const output = answer.value.stdout + answer.value.stderr;
  return answer.value.exitCode === 0 ? success(output) : failure(output);
}
