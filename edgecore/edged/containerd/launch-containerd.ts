import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import type { ContainerdLayout } from './containerd-layout.js';
import { logTail, probeContainerd } from './containerd-process.js';

/** Keeps one older log beside the current one once it grows past this. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const READY_TIMEOUT_MS = 30_000;
const PROBE_INTERVAL_MS = 100;

export interface LaunchedContainerd {
  child: ChildProcess;
  pid: number;
  /** Resolves with how it ended; the child may end any time after launch. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Starts containerd detached: in its own process group, stdio to its log file, not referenced
 * by our event loop, so it outlives edgecore (even a kill -9) and the next edgecore adopts it.
 */
function spawnDetached(binary: string, layout: ContainerdLayout): Result<LaunchedContainerd> {
  let logFd: number | undefined;
  try {
    rotateLog(layout.logFile);
    logFd = openSync(layout.logFile, 'a', 0o600);
    const child = spawn(binary, ['--config', layout.configFile], { detached: true, stdio: ['ignore', logFd, logFd] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      // A failed spawn (ENOENT) emits 'error' and no 'exit'.
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.unref();
    if (child.pid === undefined) return fail('Internal', `could not start ${binary}`);
    writeFileSync(layout.pidFile, `${child.pid}\n`, { mode: 0o600 });
    return ok({ child, pid: child.pid, exited });
  } catch (err) {
    return fail('Internal', `starting ${binary}: ${errorMessage(err)}`);
  } finally {
    // The child holds its own copy of the descriptor.
    if (logFd !== undefined) closeSync(logFd);
  }
}

/**
 * Starts containerd and waits until it answers on its socket. On failure the child is killed and
 * the message carries the tail of its log.
 */
export async function launchContainerd(binary: string, layout: ContainerdLayout, signal: AbortSignal): Promise<Result<LaunchedContainerd>> {
  const launched = spawnDetached(binary, layout);
  if (!launched.ok) return launched;
  const { child, exited } = launched.value;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProbe = 'not probed yet';
  for (;;) {
    if (exit !== undefined) {
      return fail('Unavailable', `containerd exited during start (code ${exit.code}, signal ${exit.signal}); log tail:\n${logTail(layout.logFile)}`);
    }
    if (signal.aborted || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      const why = signal.aborted ? 'start was cancelled' : `it did not answer within ${READY_TIMEOUT_MS} ms (${lastProbe})`;
      return fail(signal.aborted ? 'Unavailable' : 'Timeout', `containerd killed: ${why}; log tail:\n${logTail(layout.logFile)}`);
    }
    const probe = await probeContainerd(layout.socket);
    if (probe.ok) return launched;
    lastProbe = probe.message;
    await sleep(PROBE_INTERVAL_MS);
  }
}
