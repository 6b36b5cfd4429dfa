/**
 * What an edge's runtime leaves on the host, read from /proc and ip(8): for tests of `outpost
 * reset` ("no process, container, sandbox, CNI bridge, netns or mount left") and of pods that
 * outlive their agent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface HostProcess {
  pid: number;
  ppid: number;
  /** argv joined with spaces. */
  cmdline: string;
}

/** Every live process (zombies left out: they run nothing). */
export function hostProcesses(): HostProcess[] {
  const processes: HostProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may hold spaces and parentheses: the fields after it start after the last ')'.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (after[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== '').join(' ');
      processes.push({ pid: Number(entry), ppid: Number(after[1]), cmdline });
    } catch {
      // The process ended while it was read: it is not left over.
      continue;
    }
  }
  return processes;
}

export function isAlive(pid: number): boolean {
  return hostProcesses().some((p) => p.pid === pid);
}

/** Mount points (from /proc/mounts, octal escapes decoded) at or under any of `dirs`. */
export function mountsUnder(dirs: readonly string[]): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point !== '' && dirs.some((dir) => point === dir || point.startsWith(`${dir}/`)));
}

export function linkExists(name: string): boolean {
  return spawnSync('ip', ['link', 'show', 'dev', name], { encoding: 'utf8' }).status === 0;
}

export interface RuntimeTask {
  id: string;
  pid: number;
  status: string;
}

/** The tasks (running containers and sandboxes) of a containerd, as `ctr tasks ls` lists them in the CRI namespace. */
export function runtimeTasks(socket: string): RuntimeTask[] {
  if (!existsSync(socket)) return [];
  const listed = spawnSync('ctr', ['-a', socket, '-n', 'k8s.io', 'tasks', 'ls'], { encoding: 'utf8', timeout: 30_000 });
  if (listed.status !== 0) return [];
  return listed.stdout
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 3)
    .map(([id, pid, status]) => ({ id: id ?? '', pid: Number(pid), status: status ?? '' }));
}
