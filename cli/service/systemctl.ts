/**
 * Enables and disables the written units with systemctl, as K3s' installer does, and tells apart
 * a machine without systemd as PID 1 (containers, WSL without systemd), where the files are
 * written but nothing can be enabled (docs/install.md § Without systemd).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface CommandOutcome {
  status: number | null;
  output: string;
}

export type CommandRunner = (command: string, args: readonly string[]) => CommandOutcome;

export type SystemctlOutcome =
  | { state: 'done' }
  | { state: 'no-systemd'; reason: string }
  | { state: 'failed'; command: string; output: string };

export interface SystemctlDeps {
  run: CommandRunner;
  /** sd_booted(3): systemd is PID 1 when this directory exists. */
  systemdRunning: () => boolean;
}

const NOT_BOOTED = /not been booted with systemd|Failed to connect to bus|System has not been booted/i;

export const realSystemctlDeps: SystemctlDeps = {
  run: (command, args) => {
    const res = spawnSync(command, args, { encoding: 'utf8' });
    const output = `${res.stdout ?? ''}${res.stderr ?? ''}${res.error === undefined ? '' : res.error.message}`;
    return { status: res.status, output };
  },
  systemdRunning: () => existsSync('/run/systemd/system'),
};

/** Runs each systemctl invocation in turn; stops at the first failure. */
export function runSystemctl(steps: readonly (readonly string[])[], deps: SystemctlDeps): SystemctlOutcome {
  if (!deps.systemdRunning()) return { state: 'no-systemd', reason: 'systemd is not running as PID 1 on this machine (no /run/systemd/system)' };
  for (const args of steps) {
    const res = deps.run('systemctl', args);
    if (res.status === 0) continue;
    if (NOT_BOOTED.test(res.output)) return { state: 'no-systemd', reason: res.output.trim() };
    return { state: 'failed', command: `systemctl ${args.join(' ')}`, output: res.output.trim() };
  }
  return { state: 'done' };
}
