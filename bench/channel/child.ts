import { fork, spawn, type ChildProcess } from 'node:child_process';

/** Enough of a child's output to explain a failure. */
const OUTPUT_TAIL_CHARS = 8 * 1024;
const STOP_GRACE_MS = 10_000;

/**
 * A child process the benchmark started, stopped only by its own pid. Every child is recorded in
 * a registry so that a failure or Ctrl-C anywhere still stops all of them (stopAllChildren).
 */
export interface Child {
  pid: number;
  process: ChildProcess;
  exited: Promise<string>;
  /** The tail of its stdout and stderr. */
  output(): string;
  /** Sends `signal` (SIGTERM by default), then SIGKILL after a grace period; resolves on exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Child>();

export function forkChild(modulePath: string, args: string[], execArgv: string[] = []): Child {
  return track(fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv }));
}

export function spawnNode(args: string[]): Child {
  return spawnCommand(process.execPath, args);
}

/** Any program (mosquitto, for one), tracked and stopped by its pid like the others. */
export function spawnCommand(command: string, args: string[]): Child {
  return track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

function track(proc: ChildProcess): Child {
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    proc.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    proc.once('error', (err) => resolve(`could not start: ${err.message}`));
  });
  const child: Child = {
    pid: proc.pid ?? -1,
    process: proc,
    exited,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
        signalPid(proc.pid, signal);
        const pid = proc.pid;
        const timer = setTimeout(() => {
          if (proc.exitCode === null && proc.signalCode === null) signalPid(pid, 'SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** Stops every child still running, each by its pid. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((c) => c.stop()));
}

/** A pid may exit between the check and the signal; ESRCH then just means "already gone". */
function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
