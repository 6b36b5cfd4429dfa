import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { connect } from 'node:net';
import { basename } from 'node:path';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { runCommand } from '../run-command.js';

/** The argument vector of a live process, or undefined when it is gone or a zombie. */
export function processCommandLine(pid: number): string[] | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return undefined;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return argv.length > 0 ? argv : undefined;
  } catch {
    // No such process (or it exited while we read): not alive.
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  return processCommandLine(pid) !== undefined;
}

/** A containerd started with `--config <configFile>`: the cmdline that names our config, nothing else. */
export function isContainerdWithConfig(pid: number, configFile: string): boolean {
  const argv = processCommandLine(pid);
  if (argv === undefined || argv[0] === undefined || basename(argv[0]) !== 'containerd') return false;
  for (let i = 1; i < argv.length; i++) {
    if ((argv[i] === '--config' || argv[i] === '-c') && argv[i + 1] === configFile) return true;
    if (argv[i] === `--config=${configFile}`) return true;
  }
  return false;
}

const pidSchema = z.coerce.number().int().positive();

export function readPidFile(file: string): number | undefined {
  try {
    const parsed = pidSchema.safeParse(readFileSync(file, 'utf8').trim());
    return parsed.success ? parsed.data : undefined;
  } catch {
    // No pid file: nothing was started here before (or it was cleaned up).
    return undefined;
  }
}

/**
 * The containerd running with our config: the pid file's pid if it still is one, else a scan of
 * /proc (the pid file may be lost while containerd lives on, and a second containerd on the same
 * root must never be started).
 */
export function findContainerdWithConfig(pidFile: string, configFile: string): number | undefined {
  const recorded = readPidFile(pidFile);
  if (recorded !== undefined && isContainerdWithConfig(recorded, configFile)) return recorded;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid !== recorded && isContainerdWithConfig(pid, configFile)) return pid;
  }
  return undefined;
}

/** True when something accepts a connection on the unix socket. */
export function socketAccepts(socket: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = connect({ path: socket });
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(accepted: boolean): void {
      clearTimeout(timer);
      conn.destroy();
      resolve(accepted);
    }
    conn.once('connect', () => finish(true));
    conn.once('error', () => finish(false));
  });
}

/** containerd answers: its socket accepts, and `ctr version` gets the server's version over it. */
export async function probeContainerd(socket: string): Promise<Result<void>> {
  if (!(await socketAccepts(socket))) return fail('Unavailable', `nothing accepts connections on ${socket}`);
  const version = await runCommand('ctr', ['-a', socket, '--connect-timeout', '2s', 'version'], { timeoutMs: 10_000 });
  if (!version.ok) return fail('Unavailable', version.message);
  if (!/Server:/.test(version.value.stdout)) return fail('Unavailable', `ctr version on ${socket} printed no server version`);
  return ok(undefined);
}

/** The end of containerd's log, for error messages (reads only the last `bytes`). */
export function logTail(logFile: string, bytes = 2_000): string {
  let fd: number | undefined;
  try {
    fd = openSync(logFile, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch (err) {
    return `(no log: ${errorMessage(err)})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
