import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceCommand } from './service-command.js';
import type { CommandOutcome, SystemctlDeps } from './service/index.js';

const TOKEN = `${'e'.repeat(64)}.abcdef.0123456789abcdef`;

/** systemctl as a recorder: the install's calls without touching this machine's systemd. */
function fakeSystemd(running: boolean, outcome: CommandOutcome = { status: 0, output: '' }): SystemctlDeps & { calls: string[] } {
  const calls: string[] = [];
  return { calls, systemdRunning: () => running, run: (command, args) => (calls.push([command, ...args].join(' ')), outcome) };
}

async function outpost(args: string[], deps: SystemctlDeps): Promise<string> {
  const argv = ['node', 'outpost', ...args];
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  try {
    await new Command('outpost').exitOverride().addCommand(await serviceCommand({ argv, systemctl: deps, program: () => ['/usr/bin/node', '/opt/outpost/dist/cli/outpost.js'] })).parseAsync(argv);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

afterEach(() => vi.restoreAllMocks());

describe('outpost service with systemd', () => {
  const dirs = () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-svc-cmd-'));
    return { dir, where: ['--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'env')] };
  };
  const edgeFlags = ['--server', 'hub', '--token', TOKEN, '--node-name', 'pi-1'];

  it('reloads systemd and enables --now the unit it wrote (by path outside the search path), then uninstall disables it', async () => {
    const { dir, where } = dirs();
    const systemd = fakeSystemd(true);
    const out = await outpost(['service', 'install', 'edge', ...edgeFlags, ...where], systemd);
    const unit = join(dir, 'units', 'outpost-edge.service');
    expect(systemd.calls).toEqual(['systemctl daemon-reload', `systemctl enable --now ${unit}`]);
    expect(out).toContain('enabled and started outpost-edge.service');
    const removed = await outpost(['service', 'uninstall', 'edge', ...where], systemd);
    expect(systemd.calls.slice(2)).toEqual(['systemctl disable --now outpost-edge.service', 'systemctl daemon-reload']);
    expect(removed).toContain(`removed ${unit}`);
    expect(existsSync(unit)).toBe(false);
  });

  it('without systemd as PID 1 keeps the files, says enabling needs a systemd host, and does not fail', async () => {
    const { dir, where } = dirs();
    const systemd = fakeSystemd(false);
    const out = await outpost(['service', 'install', 'edge', ...edgeFlags, ...where], systemd);
    expect(systemd.calls).toEqual([]);
    expect(out).toContain('not enabled: systemd is not running as PID 1');
    expect(out).toContain('on a host booted with systemd run: systemctl daemon-reload && systemctl enable --now outpost-edge.service');
    expect(existsSync(join(dir, 'units', 'outpost-edge.service'))).toBe(true);
  });

  it('a systemctl that refuses for another reason fails the install, after writing the files', async () => {
    const { dir, where } = dirs();
    const systemd = fakeSystemd(true, { status: 1, output: 'Access denied' });
    await expect(outpost(['service', 'install', 'edge', ...edgeFlags, ...where], systemd)).rejects.toThrow('systemctl daemon-reload failed: Access denied');
    expect(existsSync(join(dir, 'env', 'outpost-edge'))).toBe(true);
  });

  it('--no-systemctl runs no systemctl at all', async () => {
    const { where } = dirs();
    const systemd = fakeSystemd(true);
    expect(await outpost(['service', 'install', 'edge', ...edgeFlags, ...where, '--no-systemctl'], systemd)).toContain('not enabled (--no-systemctl)');
    await outpost(['service', 'uninstall', 'edge', ...where, '--no-systemctl'], systemd);
    expect(systemd.calls).toEqual([]);
  });
});
