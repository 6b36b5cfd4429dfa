/**
 * Config problems in words a user acts on (docs/configuration.md § Errors): one line per problem,
 * `path: what it must be`, an unknown key under its own path. zod's own wording is kept only where
 * the schema gave a message (custom checks, regexes with a message).
 */
import type { z } from 'zod';

/** `--print-default-config` lists the fields there are; the loader says so once under the problems. */
export const UNKNOWN_FIELD = 'unknown field';

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
};

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  return String(input);
}

function bound(issue: { origin: string; inclusive?: boolean }, value: unknown, small: boolean): string {
  const n = Number(value);
  switch (issue.origin) {
    case 'string':
      if (small && n === 1) return 'must not be empty';
      return small ? `must be at least ${n} characters long` : `must be at most ${n} characters long`;
    case 'array':
      return small ? `must have at least ${n} items` : `must have at most ${n} items`;
    default:
      if (small) return issue.inclusive === false ? `must be more than ${n}` : `must be ${n} or more`;
      return issue.inclusive === false ? `must be less than ${n}` : `must be ${n} or less`;
  }
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const wanted = TYPE_NAMES[issue.expected] ?? issue.expected;
      return `must be ${wanted}, not ${describeInput(issue.input)}`;
    }
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      // A regex with a message says what it wants; zod's generic "Invalid …" does not.
      return issue.message.startsWith('Invalid') ? `must be a valid ${issue.format === 'regex' ? 'value' : issue.format}` : issue.message;
    default:
      return issue.message;
  }
}

/** One problem per issue; an unrecognized_keys issue becomes one problem per unknown key. */
export function configProblems(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: UNKNOWN_FIELD }));
    }
    return [{ path, message: messageOf(issue) }];
  });
}

export function pathText(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}
