import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { OutpostError } from '../errors.js';
import { configProblems, pathText, UNKNOWN_FIELD, type ConfigProblem } from './issue-text.js';
import { renderConfigYaml } from './render-yaml.js';
import { exampleInput } from './schema-walk.js';

/**
 * Config loading (docs/configuration.md): one versioned YAML file per binary, validated by a zod
 * schema that holds the defaults and each field's description. Every problem is reported at once,
 * each with its path (and line in the file), so a user fixes a file in one round rather than one
 * error per run.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
}

/** Where a value came from, to point at its line: the file's document, unless a flag set it. */
interface Origin {
  doc: Document;
  lines: LineCounter;
  overrides: unknown;
}

function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current) || current[key] === undefined) return false;
    current = current[key];
  }
  return true;
}

/** The problem's line in the file, or that a flag set it; undefined when neither is known. */
function locate(problem: ConfigProblem, origin: Origin | undefined): { line?: number; text: string } {
  if (origin === undefined) return { text: '' };
  if (problem.path.length > 0 && hasPath(origin.overrides, problem.path)) return { text: ' (from the command line)' };
  for (let n = problem.path.length; n > 0; n--) {
    const node = origin.doc.getIn(problem.path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const start = node?.range?.[0];
    if (start !== undefined) {
      const line = origin.lines.linePos(start).line;
      return { line, text: ` (line ${line})` };
    }
  }
  return { text: '' };
}

function validate<S extends z.ZodType>(schema: S, raw: unknown, source: string, origin?: Origin): z.output<S> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) {
    const found = configProblems(result.error.issues);
    // In the file's order, so they read top to bottom; those without a line last.
    const located = found.map((p) => ({ ...locate(p, origin), problem: p })).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    const problems = located.map(({ problem, text }) => `${pathText(problem.path)}: ${problem.message}${text}`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const hint = found.some((p) => p.message === UNKNOWN_FIELD) ? '\n(--print-default-config prints every field there is)' : '';
    throw new OutpostError('ConfigInvalid', `${source} is invalid (${count}):\n  ${problems.join('\n  ')}${hint}`, { details: problems });
  }
  return result.data;
}

export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  return validate(schema, raw, source);
}

/** Parses YAML text; every syntax error at once, each with its line and column. */
function parseYamlFile(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return `line ${at.line}, column ${at.col}: ${e.message.split('\n')[0] ?? e.message}`;
    });
    throw new OutpostError('ConfigInvalid', `${file} is not valid YAML:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return { doc, lines };
}

/** Reads a YAML config file (optional), then overlays command-line values, then validates. */
export async function loadConfig<S extends z.ZodType>(
  schema: S,
  options: { file?: string | undefined; overrides?: Record<string, unknown> },
): Promise<z.output<S>> {
  if (options.file === undefined) return validate(schema, deepMerge({}, options.overrides ?? {}), 'configuration');
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (err) {
    throw new OutpostError('ConfigInvalid', `cannot read config file ${options.file}: ${(err as Error).message}`, { cause: err });
  }
  const { doc, lines } = parseYamlFile(text, options.file);
  let fromFile: unknown;
  try {
    fromFile = doc.toJS() ?? {};
  } catch (err) {
    // yaml refuses alias bombs (maxAliasCount) only while building values.
    throw new OutpostError('ConfigInvalid', `${options.file} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  return validate(schema, deepMerge(fromFile, options.overrides ?? {}), options.file, { doc, lines, overrides: options.overrides });
}

/**
 * The whole config as commented YAML (docs/configuration.md § Printing the default config): the
 * defaults, required fields without one filled with their example, then the given overrides
 * (command-line flags) on top.
 */
export function renderDefaultConfig<S extends z.ZodType>(schema: S, options: { header: string[]; overrides?: Record<string, unknown> }): string {
  const config = validate(schema, deepMerge(exampleInput(schema), options.overrides ?? {}), 'configuration') as Record<string, unknown>;
  return renderConfigYaml(schema, config, options.header);
}

function isPlainObject(value: unknown): value is Record<string | number, unknown> {
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
