import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { absolutePaths, flagTokens, readGivenFlags } from './service-args.js';

const options = new Command('x')
  .option('--server <host>', '')
  .option('--leader-elect [bool]', '')
  .option('--no-pods', '')
  .option('--data-dir <dir>', '')
  .option('--log-level <level>', '').options;

describe('the flags as given', () => {
  it('reads --flag value, --flag=value, optional values and negations as commander does', () => {
    const given = readGivenFlags(options, ['--server', 'h:1', '--leader-elect', '--no-pods', '--data-dir=d', '--leader-elect', 'false', '--log-level', '-x']);
    expect(given).toEqual({
      ok: true,
      value: [
        { flag: '--server', attribute: 'server', value: 'h:1' },
        { flag: '--leader-elect', attribute: 'leaderElect', value: undefined },
        { flag: '--no-pods', attribute: 'pods', value: undefined },
        { flag: '--data-dir', attribute: 'dataDir', value: 'd' },
        { flag: '--leader-elect', attribute: 'leaderElect', value: 'false' },
        { flag: '--log-level', attribute: 'logLevel', value: '-x' },
      ],
    });
  });

  it('refuses what is no flag of the command', () => {
    expect(readGivenFlags(options, ['stray'])).toMatchObject({ ok: false, code: 'Invalid' });
    expect(readGivenFlags(options, ['--nope'])).toMatchObject({ ok: false, code: 'Invalid' });
  });

  it('makes path flags absolute and writes every flag as one token', () => {
    const given = readGivenFlags(options, ['--data-dir', 'data', '--server', 'rel', '--no-pods']);
    const flags = absolutePaths(given.ok ? given.value : [], new Set(['dataDir']), '/home/me');
    expect(flagTokens(flags)).toEqual(['--data-dir=/home/me/data', '--server=rel', '--no-pods']);
  });
});
