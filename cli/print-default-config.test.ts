import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { cloudConfigSchema } from '../cloudcore/config.js';
import { edgeConfigSchema } from '../edgecore/config.js';
import { loadConfig, parseConfig } from '../shared/config.js';
import { exampleInput, fieldEntries } from '../shared/config/index.js';
import { defaultConfigText } from './config-flags.js';

const KINDS = [
  { kind: 'CloudConfig', command: 'outpost cloud', schema: cloudConfigSchema as z.ZodType, marker: 'cloud' },
  { kind: 'EdgeConfig', command: 'outpost edge', schema: edgeConfigSchema as z.ZodType, marker: 'edge' },
];

async function loadText(schema: z.ZodType, text: string): Promise<unknown> {
  const file = join(mkdtempSync(join(tmpdir(), 'outpost-print-config-')), 'config.yaml');
  writeFileSync(file, text);
  return loadConfig(schema, { file });
}

/** The YAML block between `<!-- NAME-config:begin -->` and `<!-- NAME-config:end -->` in docs/configuration.md. */
function documented(marker: string): string | undefined {
  const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  const match = new RegExp(`<!-- ${marker}-config:begin -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\`\\n<!-- ${marker}-config:end -->`).exec(doc);
  return match?.[1];
}

describe.each(KINDS)('$command --print-default-config', ({ kind, command, schema, marker }) => {
  it('loads back as the default config', async () => {
    const text = defaultConfigText(schema, kind, command);
    expect(await loadText(schema, text)).toEqual(parseConfig(schema, exampleInput(schema), 'defaults'));
    expect(text).toContain(`kind: ${kind}\n`);
  });

  it('says what every field is, and gives an example for each field without a default', () => {
    const fields = fieldEntries(schema);
    expect(fields.filter((f) => f.info.description === undefined).map((f) => f.path.join('.'))).toEqual([]);
    const needExample = fields.filter((f) => !f.info.hasDefault && f.info.inner.def.type !== 'object');
    expect(needExample.filter((f) => f.info.example === undefined).map((f) => f.path.join('.'))).toEqual([]);
  });

  it('is the reference in docs/configuration.md, word for word', () => {
    expect(documented(marker)).toBe(defaultConfigText(schema, kind, command));
  });
});

describe('--print-default-config with flags', () => {
  it('prints the flags\' values in place of the defaults, and that loads back too', async () => {
    const text = defaultConfigText(cloudConfigSchema, 'CloudConfig', 'outpost cloud', { apiserver: { port: 7443 }, cloudhub: { advertiseAddress: '192.0.2.10' } });
    expect(text).toMatch(/\n {2}port: 7443\n/);
    expect(text).toMatch(/\n {2}advertiseAddress: 192\.0\.2\.10\n/);
    const loaded = (await loadText(cloudConfigSchema, text)) as z.output<typeof cloudConfigSchema>;
    expect(loaded.apiserver.port).toBe(7443);
    expect(loaded.cloudhub.advertiseAddress).toBe('192.0.2.10');
  });
});
