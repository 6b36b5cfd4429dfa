import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { OutpostError } from './errors.js';

/**
 * Config loading: one versioned YAML file per binary, validated by a zod schema that holds the
 * defaults. Every problem is reported at once, each with its path, so a user fixes a file in one
 * round rather than one error per run.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
}

export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new OutpostError('ConfigInvalid', `${source} is invalid:\n  ${problems.join('\n  ')}`, {
      details: problems,
    });
  }
  return result.data;
}

/** Reads a YAML config file (optional), then overlays command-line values, then validates. */
export async function loadConfig<S extends z.ZodType>(
  schema: S,
  options: { file?: string | undefined; overrides?: Record<string, unknown> },
): Promise<z.output<S>> {
  let fromFile: unknown = {};
  const source = options.file ?? 'configuration';
  if (options.file !== undefined) {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (err) {
      throw new OutpostError('ConfigInvalid', `cannot read config file ${options.file}`, { cause: err });
    }
    try {
      fromFile = parseYaml(text) ?? {};
    } catch (err) {
      throw new OutpostError('ConfigInvalid', `${options.file} is not valid YAML: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return parseConfig(schema, deepMerge(fromFile, options.overrides ?? {}), source);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Overlays b onto a; undefined values in b are skipped so unset CLI flags keep file values. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (value === undefined) continue;
    out[key] = deepMerge(a[key], value);
  }
  return out;
}
