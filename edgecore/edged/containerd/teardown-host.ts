import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { removeCgroupFolders } from '../cgroups.js';
import type { ContainerdLayout } from './containerd-layout.js';
import { processCommandLine } from './containerd-process.js';
import { runCommand } from '../run-command.js';

/** Containers runc still knows under this edge's runc root (one folder per containerd namespace): killed and deleted. */
export async function removeRuncLeftovers(layout: ContainerdLayout): Promise<string[]> {
  const errors: string[] = [];
  if (!existsSync(layout.runcRoot)) return errors;
  for (const namespace of readdirSync(layout.runcRoot)) {
    const root = join(layout.runcRoot, namespace);
    const listed = await runCommand('runc', ['--root', root, 'list', '-q'], { timeoutMs: 30_000 });
    if (!listed.ok) {
      errors.push(listed.message);
      continue;
    }
    for (const id of listed.value.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
      await runCommand('runc', ['--root', root, 'kill', '--all', id, 'KILL'], { timeoutMs: 30_000 });
      const deleted = await runCommand('runc', ['--root', root, 'delete', '--force', id], { timeoutMs: 30_000 });
      if (!deleted.ok) errors.push(deleted.message);
    }
  }
  return errors;
}

/** Shims started by this containerd (their `-address` is our socket) outlive it by design: end them. */
export function killShims(layout: ContainerdLayout): number[] {
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = processCommandLine(Number(entry));
    if (argv === undefined || argv[0] === undefined || !basename(argv[0]).startsWith('containerd-shim')) continue;
    const at = argv.indexOf('-address');
    if (at < 0 || argv[at + 1] !== layout.socket) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  return killed;
}

/** proc(5) mountinfo escapes space, tab, newline and backslash as \ooo. */
function decodeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mount points at or under any of `dirs` (netns pins, overlay rootfs, shm), deepest first. */
export function mountsUnder(dirs: readonly string[]): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined)
    .map(decodeMountPath)
    .filter((point) => dirs.some((dir) => point === dir || point.startsWith(`${dir}/`)));
  return [...new Set(mounts)].sort((a, b) => b.length - a.length);
}

export async function unmountUnder(dirs: readonly string[]): Promise<string[]> {
  const errors: string[] = [];
  for (const point of mountsUnder(dirs)) {
    // Lazy: a mount still busy for a moment must not keep the folder from being removed.
    const result = await runCommand('umount', ['-l', point], { timeoutMs: 30_000 });
    if (!result.ok && existsSync(point) && mountsUnder([point]).includes(point)) errors.push(result.message);
  }
  return errors;
}

/** Deletes the edge's CNI bridge (it outlives containerd and would keep the pod subnet's route). */
export async function deleteBridge(name: string): Promise<string[]> {
  const shown = await runCommand('ip', ['link', 'show', 'dev', name], { timeoutMs: 10_000 });
  if (!shown.ok) return [];
  const deleted = await runCommand('ip', ['link', 'del', 'dev', name], { timeoutMs: 10_000 });
  return deleted.ok ? [] : [deleted.message];
}

/** runc leaves a container's cgroup folders behind when it dies with its shim: removed in every hierarchy. */
export function removeCgroups(cgroupsPaths: readonly string[]): string[] {
  return removeCgroupFolders(cgroupsPaths);
}
