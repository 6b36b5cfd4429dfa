import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, parseConfig } from './load-config.js';
import { isOutpostError, type OutpostError } from '../errors.js';

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
      for (const line of ['port: must be 0 or more', 'name: must be a string, not 5', 'nested.level: must be one of info, debug', 'extra: unknown field']) expect(message).toContain(line);
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

  it('lists every YAML syntax error with its line and column', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-config-')), 'twice.yaml');
    writeFileSync(file, 'port: 1\nname: a\nnested:\n  level: info\nname: b\nport: 2\n');
    const err = await loadConfig(schema, { file }).catch((e: unknown) => e);
    expect(isOutpostError(err, 'ConfigInvalid')).toBe(true);
    expect((err as OutpostError).details).toEqual([expect.stringMatching(/^line 5, column 1: Map keys must be unique/), expect.stringMatching(/^line 6, column 1: Map keys must be unique/)]);
  });

  it('refuses an alias bomb as a YAML problem, not a crash', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-config-')), 'bomb.yaml');
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 8; prev = `b${i}`, i++) text += `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    writeFileSync(file, text);
    await expect(loadConfig(schema, { file })).rejects.toThrow(/bomb\.yaml is not valid YAML: Excessive alias count/);
  });

  it('lists every problem of a file at once, each with its field path and line, unknown keys included', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-config-')), 'many.yaml');
    writeFileSync(file, '# a comment\nport: 70000.5\nname: ""\nnested:\n  level: loud\n  colour: red\nextra: true\n');
    const err = await loadConfig(z.object({ ...schema.shape, name: z.string().min(1) }).strict(), { file }).catch((e: unknown) => e);
    expect(isOutpostError(err, 'ConfigInvalid')).toBe(true);
    expect((err as Error).message).toMatch(/many\.yaml is invalid \(5 problems\):/);
    expect((err as Error).message).toContain('(--print-default-config prints every field there is)');
    expect((err as OutpostError).details).toEqual([
      'port: must be an integer, not 70000.5 (line 2)',
      'name: must not be empty (line 3)',
      'nested.level: must be one of info, debug (line 5)',
      'nested.colour: unknown field (line 6)',
      'extra: unknown field (line 7)',
    ]);
  });
});
