/**
 * The pods' log folders under logRoot (kubelet's /var/log/pods layout, podspec's log-paths):
 * made before the runtime writes there (containerd opens the file but makes no folder), and
 * removed with the containers and pods they belong to, as kubelet's container GC does.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';

function attempt(action: () => void, what: string): Result<void> {
  try {
    action();
    return ok(undefined);
  } catch (err) {
    return fail('Internal', `${what}: ${errorMessage(err)}`);
  }
}

/** The pod's folder (the sandbox's log_directory), made before RunPodSandbox. */
export function makePodLogDirectory(directory: string): Result<void> {
  return attempt(() => mkdirSync(directory, { recursive: true, mode: 0o755 }), `creating the pod log folder ${directory}`);
}

/** The container's folder in it (`<name>/`), made before CreateContainer. */
export function makeContainerLogDirectory(podDirectory: string, logPath: string): Result<void> {
  const dir = dirname(join(podDirectory, logPath));
  return attempt(() => mkdirSync(dir, { recursive: true, mode: 0o755 }), `creating the container log folder ${dir}`);
}

/** A removed container's log file (ContainerStatus.log_path is absolute), with its rotated files (`<path>.<stamp>`). */
export function removeContainerLog(path: string): Result<void> {
  if (path === '') return ok(undefined);
  const removed = attempt(() => rmSync(path, { force: true }), `removing the log ${path}`);
  if (!removed.ok) return removed;
  return attempt(() => {
    const prefix = `${basename(path)}.`;
    let siblings: string[] = [];
    try {
      siblings = readdirSync(dirname(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const entry of siblings) if (entry.startsWith(prefix) && /^\d{8}-\d{6}$/.test(entry.slice(prefix.length))) rmSync(join(dirname(path), entry), { force: true });
  }, `removing the rotated logs of ${path}`);
}

/** Every `<namespace>_<name>_<uid>` folder of a pod that is gone. */
export function removePodLogs(logRoot: string, uid: string): Result<void> {
  let entries: string[];
  try {
    entries = readdirSync(logRoot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
    return fail('Internal', `reading ${logRoot}: ${errorMessage(err)}`);
  }
  for (const entry of entries.filter((e) => e.endsWith(`_${uid}`))) {
    const removed = attempt(() => rmSync(join(logRoot, entry), { recursive: true, force: true }), `removing the pod logs ${entry}`);
    if (!removed.ok) return removed;
  }
  return ok(undefined);
}
