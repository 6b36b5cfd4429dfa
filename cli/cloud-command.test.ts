import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { cloudConfigSchema } from '../cloudcore/config.js';
import { fieldPaths } from '../shared/config/index.js';
import { addCloudFlags, CLOUD_FLAG_FIELDS, loadCloudConfig, type CloudFlags } from './cloud-command.js';
import { flagAttributes } from './config-flags.js';

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

describe('outpost cloud: every flag is a config field', () => {
  const NOT_CONFIG = ['config', 'printDefaultConfig'];

  it('maps each flag to a field of CloudConfig', () => {
    const paths = new Set(fieldPaths(cloudConfigSchema).map((p) => p.join('.')));
    const flags = flagAttributes(addCloudFlags(new Command('cloud')));
    expect(flags.filter((f) => !NOT_CONFIG.includes(f) && CLOUD_FLAG_FIELDS[f] === undefined)).toEqual([]);
    expect(Object.entries(CLOUD_FLAG_FIELDS).filter(([, path]) => !paths.has(path))).toEqual([]);
    expect(Object.keys(CLOUD_FLAG_FIELDS).filter((f) => !flags.includes(f))).toEqual([]);
  });

  it('overrides the file with the flags given and keeps the file for the others', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-cloud-flags-')), 'cloud.yaml');
    writeFileSync(file, 'apiserver:\n  port: 7443\n  bindAddress: 127.0.0.1\ncloudhub:\n  port: 11000\n');
    const config = await loadCloudConfig(flagsOf(['--config', file, '--api-port', '8443', '--tls-san', 'a.example', '--tls-san', '192.0.2.9']));
    expect(config.apiserver).toMatchObject({ port: 8443, bindAddress: '127.0.0.1', sans: ['a.example', '192.0.2.9'] });
    expect(config.cloudhub.port).toBe(11000);
  });

  it('names the flag rather than a line when a flag\'s value is bad', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-cloud-flags-')), 'cloud.yaml');
    writeFileSync(file, 'cloudhub:\n  externalUrl: wss://lb.example:443\n');
    await expect(loadCloudConfig(flagsOf(['--config', file, '--hub-external-url', 'http://nope']))).rejects.toThrow(/cloudhub\.externalUrl: .*\(from the command line\)/);
  });
});
