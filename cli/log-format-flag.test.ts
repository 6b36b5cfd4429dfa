import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { edgeConfigSchema } from '../edgecore/config.js';
import { addCloudFlags, loadCloudConfig, type CloudFlags } from './cloud-command.js';
import { parseLogFormat } from './log-format-flag.js';

function cloudFlagsOf(args: string[]): CloudFlags {
  const command = addCloudFlags(new Command('cloud')).exitOverride();
  command.parse(args, { from: 'user' });
  return command.opts<CloudFlags>();
}

describe('--log-format', () => {
  it('is a config field of the cloud, auto by default, set by the flag', async () => {
    expect((await loadCloudConfig(cloudFlagsOf([]))).logFormat).toBe('auto');
    expect((await loadCloudConfig(cloudFlagsOf(['--log-format', 'json']))).logFormat).toBe('json');
    expect((await loadCloudConfig(cloudFlagsOf(['--log-format', 'pretty']))).logFormat).toBe('pretty');
  });

  it('is a config field of the edge too, and refuses other values', () => {
    const edge = { nodeName: 'n1', edgehub: { server: 'wss://h:10000' } };
    expect(edgeConfigSchema.parse(edge).logFormat).toBe('auto');
    expect(edgeConfigSchema.parse({ ...edge, logFormat: 'json' }).logFormat).toBe('json');
    expect(edgeConfigSchema.safeParse({ ...edge, logFormat: 'text' }).success).toBe(false);
    expect(parseLogFormat('pretty')).toBe('pretty');
    expect(() => parseLogFormat('text')).toThrow(/must be one of auto, pretty, json/);
    expect(() => cloudFlagsOf(['--log-format', 'xml'])).toThrow();
  });
});
