/**
 * The flags of `outpost service install edge|cloud …` as the user spelled them, in order, so the
 * unit's ExecStart repeats them verbatim (commander's parsed values are transformed — durations
 * become seconds, lists arrays — and could not be written back). Commander parses the same
 * tokens first, so every value here has already passed the agent's own option parsers.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Option } from 'commander';
import { fail, ok, type Result } from '../../shared/errors.js';

export interface GivenFlag {
  /** The long flag, `--server`. */
  flag: string;
  /** commander's attribute name, `server`, `noPods` → `pods`. */
  attribute: string;
  /** The value as given; undefined for a boolean flag (or an optional value left out). */
  value: string | undefined;
}

/** Splits argument tokens into flags by commander's option definitions, as commander reads them. */
export function readGivenFlags(options: readonly Option[], tokens: readonly string[]): Result<GivenFlag[], 'Invalid'> {
  const byLong = new Map<string, Option>();
  for (const option of options) if (option.long !== undefined) byLong.set(option.long, option);
  const given: GivenFlag[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq === -1 ? token : token.slice(0, eq);
    const option = byLong.get(name);
    if (option === undefined) return fail('Invalid', `unexpected argument ${JSON.stringify(token)}`);
    let value: string | undefined = eq === -1 ? undefined : token.slice(eq + 1);
    const next = tokens[i + 1];
    // A required value is the next token whatever it looks like; an optional one only when it is no flag.
    if (value === undefined && next !== undefined && (option.required || (option.optional && !next.startsWith('-')))) {
      value = next;
      i++;
    }
    given.push({ flag: name, attribute: option.attributeName(), value });
  }
  return ok(given);
}

/** Makes the values of path flags absolute: the service runs with / as its working directory. */
export function absolutePaths(flags: readonly GivenFlag[], pathAttributes: ReadonlySet<string>, cwd: string): GivenFlag[] {
  return flags.map((f) =>
    f.value !== undefined && pathAttributes.has(f.attribute) && !isAbsolute(f.value) ? { ...f, value: resolve(cwd, f.value) } : f,
  );
}

/** The flags as argument tokens, `--flag=value` so a value starting with `-` stays attached. */
export function flagTokens(flags: readonly GivenFlag[]): string[] {
  return flags.map((f) => (f.value === undefined ? f.flag : `${f.flag}=${f.value}`));
}
