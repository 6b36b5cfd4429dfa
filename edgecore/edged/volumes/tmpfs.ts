/**
 * Memory-backed volume folders: secrets (never on disk in the clear, as kubelet's secret volume
 * does it through an emptyDir of medium Memory) and emptyDir with `medium: Memory`. Mounted with
 * mount(8) (edgecore runs as root, as kubelet does); whether a folder is a mount point is read
 * from /proc/self/mountinfo (proc(5)).
 */
import { readFileSync } from 'node:fs';
import { ok, type Result } from '../../../shared/errors.js';
import { runCommand } from '../run-command.js';

/** proc(5): mountinfo escapes space, tab, newline and backslash as \ooo. */
function decodeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

interface MountEntry {
  point: string;
  fsType: string;
}

function readMounts(): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    const point = fields[4];
    // The optional fields end with a lone '-', after which comes the filesystem type.
    const separator = fields.indexOf('-');
    if (point === undefined || separator < 0) continue;
    entries.push({ point: decodeMountPath(point), fsType: fields[separator + 1] ?? '' });
  }
  return entries;
}

/** The filesystem type mounted at exactly `path` (the last mount wins), or undefined. */
export function mountedFsType(path: string): string | undefined {
  let found: string | undefined;
  for (const entry of readMounts()) if (entry.point === path) found = entry.fsType;
  return found;
}

/** Mount points at or under `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const points = readMounts()
    .map((entry) => entry.point)
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Mounts a tmpfs on `path` unless one is there already (a volume set up before edged restarted). */
export async function ensureTmpfs(path: string, sizeBytes: bigint | undefined): Promise<Result<void>> {
  if (mountedFsType(path) === 'tmpfs') return ok(undefined);
  const options = sizeBytes === undefined ? [] : ['-o', `size=${sizeBytes}`];
  const mounted = await runCommand('mount', ['-t', 'tmpfs', ...options, 'tmpfs', path], { timeoutMs: 30_000 });
  return mounted.ok ? ok(undefined) : mounted;
}

/** Unmounts everything at or under `dir`; answers the mount points that stayed. */
export async function unmountUnder(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const point of mountsUnder(dir)) {
    const result = await runCommand('umount', [point], { timeoutMs: 30_000 });
    if (result.ok) continue;
    // Busy (a container that is still going away holds it): detach it now, it goes when released.
    const lazy = await runCommand('umount', ['-l', point], { timeoutMs: 30_000 });
    if (!lazy.ok && mountsUnder(point).includes(point)) problems.push(lazy.message);
  }
  return problems;
}
