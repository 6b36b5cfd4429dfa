import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addCloudFlags, loadCloudConfig, type CloudFlags } from './cloud-command.js';

/** Parses `outpost cloud` flags as the CLI does, without running anything. */
function flagsOf(args: string[]): CloudFlags {
  const command = addCloudFlags(new Command('cloud')).exitOverride();
  command.parse(args, { from: 'user' });
  return command.opts<CloudFlags>();
}

describe('outpost cloud flags', () => {
  it('take the leader-election settings as kube-controller-manager names them', async () => {
    const config = await loadCloudConfig(
      flagsOf(['--leader-elect=false', '--leader-elect-lease-duration', '30s', '--leader-elect-renew-deadline', '20s', '--leader-elect-retry-period', '4s']),
    );
    expect(config.controllers).toMatchObject({ leaderElect: false, leaderElectLeaseDurationSeconds: 30, leaderElectRenewDeadlineSeconds: 20, leaderElectRetryPeriodSeconds: 4 });
    expect((await loadCloudConfig(flagsOf(['--leader-elect']))).controllers.leaderElect).toBe(true);
    expect((await loadCloudConfig(flagsOf([]))).controllers.leaderElect).toBe(true);
  });

  it('refuses a --leader-elect that is neither true nor false', () => {
    expect(() => flagsOf(['--leader-elect=maybe'])).toThrow(/must be true or false/);
  });
});
