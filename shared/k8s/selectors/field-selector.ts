/**
 * Field selectors (`fieldSelector=`), as k8s.io/apimachinery/pkg/fields parses them: terms
 * `field=value`, `field==value` or `field!=value` joined by `,` (AND). In values, `\,` `\=` and
 * `\\` escape; any other backslash sequence, and a bare `,` or `=`, is an error. Which fields are
 * supported is the API's business: it reads them from fieldSelectorRequirements.
 */
import { fail, ok, type Result } from '../../errors.js';

export type FieldOperator = 'Equals' | 'NotEquals';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is the same requirement as `=`. */
  readonly operator: FieldOperator;
  readonly value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export function parseFieldSelector(text: string): Result<FieldSelector> {
  const requirements: FieldRequirement[] = [];
  // Sorted like Kubernetes sorts the terms, so equal selectors print alike.
  for (const term of splitOnUnescapedCommas(text).sort()) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) return fail('BadRequest', `invalid selector: '${text}'; can't understand '${term}'`);
    const value = unescapeFieldValue(split.rawValue);
    if (!value.ok) return value;
    requirements.push({ field: split.field.trim(), operator: split.operator, value: value.value });
  }
  return ok({ requirements });
}

export function fieldSelectorRequirements(selector: FieldSelector): readonly FieldRequirement[] {
  return selector.requirements;
}

export function fieldSelectorIsEmpty(selector: FieldSelector): boolean {
  return selector.requirements.length === 0;
}

/**
 * A field missing from `fields` counts as the empty string: kubectl describe sends
 * `involvedObject.namespace=` for cluster-scoped objects and expects it to match.
 */
export function matchesFields(selector: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every(({ field, operator, value }) => {
    const actual = Object.hasOwn(fields, field) ? (fields[field] ?? '') : '';
    return operator === 'Equals' ? actual === value : actual !== value;
  });
}

/** The canonical string, e.g. `spec.nodeName=edge-1,status.phase!=Succeeded`. */
export function formatFieldSelector(selector: FieldSelector): string {
  return selector.requirements
    .map(({ field, operator, value }) => `${field}${operator === 'Equals' ? '=' : '!='}${escapeFieldValue(value)}`)
    .join(',');
}

export function escapeFieldValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll(',', '\\,').replaceAll('=', '\\=');
}

function splitOnUnescapedCommas(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++; // the escaped character never splits
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Finds the first unescaped operator; `!=` and `==` are tried before `=`. */
function splitTerm(term: string): { field: string; operator: FieldOperator; rawValue: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const [symbol, operator] of [['!=', 'NotEquals'], ['==', 'Equals'], ['=', 'Equals']] as const) {
      if (term.startsWith(symbol, i)) return { field: term.slice(0, i), operator, rawValue: term.slice(i + symbol.length) };
    }
  }
  return undefined;
}

function unescapeFieldValue(raw: string): Result<string> {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === '\\') {
      const escaped = raw.charAt(i + 1);
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        return fail('BadRequest', `invalid field selector: invalid escape sequence: \\${escaped}`);
      }
      value += escaped;
      i++;
    } else if (ch === ',' || ch === '=') {
      return fail('BadRequest', `invalid field selector: unescaped character in value: ${JSON.stringify(ch)}`);
    } else {
      value += ch;
    }
  }
  return ok(value);
}
