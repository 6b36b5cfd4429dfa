import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edgeConfigSchema } from '../edgecore/config.js';
import { loadConfig } from '../shared/config.js';
import { fieldPaths } from '../shared/config/index.js';
import { flagAttributes } from './config-flags.js';
import { edgeCommand, edgeOverrides, EDGE_FLAG_FIELDS, EDGE_FLAGS_NOT_CONFIG, type EdgeFlags } from './edge-command.js';

/** Parses `outpost edge` flags as the CLI does, without running anything. */
function flagsOf(args: string[]): EdgeFlags {
  const command = edgeCommand().exitOverride();
  command.action(() => {});
  command.parse(args, { from: 'user' });
  return command.opts<EdgeFlags>();
}

describe('outpost edge: every flag is a config field', () => {
  it('maps each flag to a field of EdgeConfig, or is one of the join flags', () => {
    const paths = new Set(fieldPaths(edgeConfigSchema).map((p) => p.join('.')));
    const notConfig: readonly string[] = EDGE_FLAGS_NOT_CONFIG;
    const flags = flagAttributes(edgeCommand());
    expect(flags.filter((f) => !notConfig.includes(f) && EDGE_FLAG_FIELDS[f] === undefined)).toEqual([]);
    expect(Object.entries(EDGE_FLAG_FIELDS).filter(([, path]) => !paths.has(path))).toEqual([]);
    expect(Object.keys(EDGE_FLAG_FIELDS).filter((f) => !flags.includes(f))).toEqual([]);
  });

  it('overrides the file with the flags given; --no-pods only when given', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-edge-flags-')), 'edge.yaml');
    writeFileSync(file, 'nodeName: shop-1\nedgehub:\n  server: wss://hub.example:10000\nedged:\n  enabled: false\nmqtt:\n  port: 1999\n');
    const kept = await loadConfig(edgeConfigSchema, { file, overrides: edgeOverrides(flagsOf(['--config', file, '--metaserver-port', '0'])) });
    expect(kept).toMatchObject({ nodeName: 'shop-1', edged: { enabled: false }, mqtt: { port: 1999 }, metaserver: { port: 0 } });
    const changed = await loadConfig(edgeConfigSchema, { file, overrides: edgeOverrides(flagsOf(['--config', file, '--mqtt-port', '0', '--node-name', 'shop-2', '--no-pods'])) });
    expect(changed).toMatchObject({ nodeName: 'shop-2', edged: { enabled: false }, mqtt: { port: 0 } });
  });
});
