/**
 * Every flag of `outpost cloud` and `outpost edge` is a config field (docs/configuration.md §
 * Flags and precedence): each command keeps a table from the flag's commander attribute to the
 * field's path, the overrides are built from it, and a unit test checks that no flag is missing
 * from the table and that every path exists in the schema.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { renderDefaultConfig } from '../shared/config.js';

/** commander attribute (`apiPort`) → config field path (`apiserver.port`). */
export type FlagFields = Readonly<Record<string, string>>;

/** The set flags as a nested overrides object; unset flags are left out, so the file's values stay. */
export function overridesFromFlags(flags: object, table: FlagFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [attribute, path] of Object.entries(table)) {
    const value = (flags as Record<string, unknown>)[attribute];
    if (value === undefined) continue;
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : (node[key] = {});
    }
    node[keys[keys.length - 1] ?? path] = value;
  }
  return out;
}

export const PRINT_DEFAULT_CONFIG_HELP = 'print the whole configuration as YAML, every field with its default and what it is (flags given are applied), then exit';

/** What `--print-default-config` prints: the text a `--config` file would hold (docs/configuration.md § Printing the default config). */
export function defaultConfigText(schema: z.ZodType, kind: string, command: string, overrides: Record<string, unknown> = {}): string {
  const header = [
    `Outpost ${kind}: the configuration of \`${command}\`, every field with its default.`,
    `Use it with \`${command} --config FILE\`; a flag given on the command line overrides the file.`,
    'A commented-out field is optional and has no default; the value shown is an example.',
  ];
  return renderDefaultConfig(schema, { header, overrides });
}

export function printDefaultConfig(schema: z.ZodType, kind: string, command: string, overrides: Record<string, unknown>): void {
  process.stdout.write(defaultConfigText(schema, kind, command, overrides));
}

/** The long-option attributes of a command, for the flag table's test. */
export function flagAttributes(command: Command): string[] {
  return command.options.map((option) => option.attributeName());
}
