import { isRecord } from '../../../shared/k8s/types.js';

/**
 * The JSONPath subset CRDs use in additionalPrinterColumns and scale paths (client-go's jsonpath,
 * without templates): `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[*]`, and filters `[?(@.type=="Ready")]`
 * with ==, != and a string, number or boolean literal (`@.x` alone tests presence). Braces around
 * the whole path are accepted; recursive descent (`..`) and slices are not supported.
 */
export type PathStep =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; literal: unknown };

export type ParsedPath = { ok: true; steps: PathStep[] } | { ok: false; message: string };

const IDENT = /^[A-Za-z0-9_$\-/]+/;
const FILTER = /^\[\?\(@((?:\.[A-Za-z0-9_$\-/]+)+)\s*(?:(==|!=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false))?\s*\)\]/;

export function parseJsonPath(text: string): ParsedPath {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: PathStep[] = [];
  while (rest.length > 0) {
    if (rest.startsWith('..')) return { ok: false, message: `recursive descent is not supported in ${JSON.stringify(text)}` };
    if (rest.startsWith('.')) {
      const name = IDENT.exec(rest.slice(1))?.[0];
      if (name === undefined) return { ok: false, message: `invalid field name in ${JSON.stringify(text)}` };
      steps.push({ kind: 'field', name });
      rest = rest.slice(1 + name.length);
      continue;
    }
    const filter = FILTER.exec(rest);
    if (filter !== null) {
      const literalText = filter[3];
      steps.push({
        kind: 'filter',
        path: (filter[1] ?? '').slice(1).split('.'),
        op: filter[2] === '==' || filter[2] === '!=' ? filter[2] : 'exists',
        literal: literalText === undefined ? undefined : parseLiteral(literalText),
      });
      rest = rest.slice(filter[0].length);
      continue;
    }
    const bracket = /^\[\s*(\*|-?\d+|'[^']*'|"[^"]*")\s*\]/.exec(rest);
    if (bracket === null) return { ok: false, message: `unrecognized JSONPath at ${JSON.stringify(rest)} in ${JSON.stringify(text)}` };
    const inner = bracket[1] ?? '';
    if (inner === '*') steps.push({ kind: 'wildcard' });
    else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
    else steps.push({ kind: 'field', name: inner.slice(1, -1) });
    rest = rest.slice(bracket[0].length);
  }
  return { ok: true, steps };
}

function parseLiteral(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  if (text.startsWith('"')) return JSON.parse(text) as unknown;
  return Number(text);
}

/** Every value the path selects, in document order (empty when nothing matches). */
export function evaluateJsonPath(steps: readonly PathStep[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) next.push(...applyStep(step, value));
    current = next;
  }
  return current;
}

function applyStep(step: PathStep, value: unknown): unknown[] {
  switch (step.kind) {
    case 'field':
      return isRecord(value) && value[step.name] !== undefined ? [value[step.name]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const at = step.index < 0 ? value.length + step.index : step.index;
      return at >= 0 && at < value.length ? [value[at]] : [];
    }
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isRecord(value) ? Object.values(value) : [];
    case 'filter': {
      const items = Array.isArray(value) ? value : [];
      return items.filter((item) => {
        let selected: unknown = item;
        for (const name of step.path) selected = isRecord(selected) ? selected[name] : undefined;
        if (step.op === 'exists') return selected !== undefined;
        const equal = selected === step.literal;
        return step.op === '==' ? equal : !equal;
      });
    }
  }
}

/** A simple dotted path (`.spec.replicas`) as field names, for the scale subresource's paths. */
export function dottedPath(text: string): string[] {
  return text.replace(/^\./, '').split('.').filter((s) => s !== '');
}
