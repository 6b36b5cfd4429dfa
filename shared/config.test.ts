import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, parseConfig } from './config.js';
import { isOutpostError } from './errors.js';

const schema = z
  .object({
    port: z.number().int().min(0).default(6443),
    name: z.string().default('hub'),
    nested: z.object({ level: z.enum(['info', 'debug']).default('info') }).strict().default({ level: 'info' }),
  })
  .strict();

describe('config loading', () => {
  it('fills defaults from the schema', () => {
    expect(parseConfig(schema, {}, 'test')).toEqual({ port: 6443, name: 'hub', nested: { level: 'info' } });
  });

  it('reports every problem at once, each with its path', () => {
    try {
      parseConfig(schema, { port: -1, name: 5, nested: { level: 'loud' }, extra: true }, 'cloud.yaml');
      expect.unreachable();
    } catch (err) {
      expect(isOutpostError(err, 'ConfigInvalid')).toBe(true);
      const message = (err as Error).message;
      expect(message).toContain('cloud.yaml is invalid');
      for (const path of ['port:', 'name:', 'nested.level:', '(root):']) expect(message).toContain(path);
    }
  });

  it('overlays flags on the file, skipping unset flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-config-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'port: 7000\nname: from-file\n');
    const config = await loadConfig(schema, { file, overrides: { port: 7001, name: undefined } });
    expect(config).toMatchObject({ port: 7001, name: 'from-file' });
  });

  it('names a file that is not YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'port: [1,\n');
    await expect(loadConfig(schema, { file })).rejects.toThrow(/bad\.yaml is not valid YAML/);
  });
});
