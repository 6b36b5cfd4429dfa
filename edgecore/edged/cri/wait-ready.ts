/**
 * Waiting for a runtime that is starting: call Version until the socket answers. Only
 * "Unavailable" is retried (no socket yet, connection refused, slow answer); any other failure
 * means the runtime answered, and retrying would not change its mind.
 */
import { fail, type Result } from '../../../shared/errors.js';
import type { VersionInfo } from './runtime-answers.js';
import { abortableSleep } from '../../../shared/abortable-sleep.js';

export interface WaitForVersionOptions {
  endpoint: string;
  signal: AbortSignal;
  timeoutMs: number;
  attempt: (deadlineMs: number, signal: AbortSignal) => Promise<Result<VersionInfo>>;
}

const FIRST_PAUSE_MS = 50;
const MAX_PAUSE_MS = 1_000;
/** One attempt never waits longer than this, so a hung socket does not eat the whole budget. */
const MAX_ATTEMPT_MS = 5_000;

export async function waitForVersion(options: WaitForVersionOptions): Promise<Result<VersionInfo>> {
  const giveUpAt = Date.now() + options.timeoutMs;
  let pauseMs = FIRST_PAUSE_MS;
  let lastProblem = 'no attempt was made';
  for (;;) {
    if (options.signal.aborted) return fail('Unavailable', `waiting for the container runtime at ${options.endpoint} was cancelled (last: ${lastProblem})`);
    const remainingMs = giveUpAt - Date.now();
    if (remainingMs <= 0) break;
    const result = await options.attempt(Math.min(remainingMs, MAX_ATTEMPT_MS), options.signal);
    if (result.ok || result.code !== 'Unavailable') return result;
    lastProblem = result.message;
    await abortableSleep(Math.min(pauseMs, Math.max(0, giveUpAt - Date.now())), options.signal);
    pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
  }
  return fail('Unavailable', `the container runtime at ${options.endpoint} did not answer within ${options.timeoutMs} ms (last: ${lastProblem})`);
}

