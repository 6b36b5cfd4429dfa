/**
 * Parses a `labelSelector=` string the way k8s.io/apimachinery/pkg/labels.Parse does:
 *   selector    = requirement ("," requirement)*      (AND; whitespace is ignored)
 *   requirement = ["!"] key | key ("=" | "==" | "!=" | ">" | "<") value | key ("in" | "notin") "(" values ")"
 * Every failure is a BadRequest whose message starts like Kubernetes': `unable to parse requirement: ...`.
 */
import { fail, ok, type Result } from '../../errors.js';
import { labelSelectorOf, newLabelRequirement, type LabelOperator, type LabelRequirement, type LabelSelector } from './label-selector.js';

type TokenKind =
  | 'identifier'
  | 'in'
  | 'notin'
  | '!'
  | '='
  | '=='
  | '!='
  | '>'
  | '<'
  | '('
  | ')'
  | ','
  | 'end'
  | 'error';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: readonly TokenKind[] = ['!=', '==', '=', '!', '>', '<', '(', ')', ','];
const SPECIAL_CHARS = new Set(['=', '!', '(', ')', ',', '>', '<']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (SPECIAL_CHARS.has(ch)) {
      // Longest symbol first, so `!=` is not read as `!` then `=`.
      const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, i));
      if (symbol === undefined) {
        tokens.push({ kind: 'error', text: ch });
        i++;
      } else {
        tokens.push({ kind: symbol, text: symbol });
        i += symbol.length;
      }
    } else {
      let end = i;
      while (end < text.length && !SPECIAL_CHARS.has(text.charAt(end)) && !/\s/.test(text.charAt(end))) end++;
      const word = text.slice(i, end);
      tokens.push({ kind: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'identifier', text: word });
      i = end;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

/** A cursor over the tokens. In value positions `in`/`notin` are ordinary identifiers. */
class TokenStream {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(asValue: boolean): Token {
    return this.valueView(this.tokens[this.position] ?? { kind: 'end', text: '' }, asValue);
  }

  next(asValue: boolean): Token {
    const token = this.peek(asValue);
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  private valueView(token: Token, asValue: boolean): Token {
    return asValue && (token.kind === 'in' || token.kind === 'notin') ? { kind: 'identifier', text: token.text } : token;
  }
}

const OPERATORS: Partial<Record<TokenKind, LabelOperator>> = {
  in: 'In',
  notin: 'NotIn',
  '=': 'Equals',
  '==': 'DoubleEquals',
  '!=': 'NotEquals',
  '>': 'GreaterThan',
  '<': 'LessThan',
};

export function parseLabelSelector(text: string): Result<LabelSelector> {
  const stream = new TokenStream(tokenize(text));
  const requirements: LabelRequirement[] = [];
  if (stream.peek(true).kind === 'end') return ok(labelSelectorOf([]));
  for (;;) {
    const start = stream.peek(true);
    if (start.kind !== 'identifier' && start.kind !== '!') {
      return syntaxError(`found '${start.text}', expected: !, identifier, or 'end of string'`);
    }
    const requirement = parseRequirement(stream);
    if (!requirement.ok) return fail('BadRequest', `unable to parse requirement: ${requirement.message}`);
    requirements.push(requirement.value);
    const after = stream.next(true);
    if (after.kind === 'end') return ok(labelSelectorOf(requirements));
    if (after.kind !== ',') return syntaxError(`found '${after.text}', expected: ',' or 'end of string'`);
    const following = stream.peek(true);
    if (following.kind !== 'identifier' && following.kind !== '!') {
      return syntaxError(`found '${following.text}', expected: identifier after ','`);
    }
  }
}

function syntaxError(detail: string): Result<never> {
  return fail('BadRequest', `unable to parse requirement: ${detail}`);
}

function parseRequirement(stream: TokenStream): Result<LabelRequirement> {
  let token = stream.next(true);
  const negated = token.kind === '!';
  if (negated) token = stream.next(true);
  if (token.kind !== 'identifier') return fail('BadRequest', `found '${token.text}', expected: identifier`);
  const key = token.text;

  const following = stream.peek(true).kind;
  if (negated || following === 'end' || following === ',') {
    if (negated && following !== 'end' && following !== ',') {
      return fail('BadRequest', `found '${stream.peek(true).text}', expected: ',' or 'end of string'`);
    }
    return newLabelRequirement(key, negated ? 'DoesNotExist' : 'Exists', []);
  }

  const operatorToken = stream.next(false);
  const operator = OPERATORS[operatorToken.kind];
  if (operator === undefined) {
    return fail('BadRequest', `found '${operatorToken.text}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  const values = operator === 'In' || operator === 'NotIn' ? parseValueSet(stream) : parseExactValue(stream);
  if (!values.ok) return values;
  return newLabelRequirement(key, operator, values.value);
}

/** `(a, b, c)`; empty entries such as `(a,)` stand for the empty value, as in Kubernetes. */
function parseValueSet(stream: TokenStream): Result<string[]> {
  const open = stream.next(true);
  if (open.kind !== '(') return fail('BadRequest', `found '${open.text}', expected: '('`);
  const values: string[] = [];
  if (stream.peek(true).kind === ')') {
    stream.next(true);
    return ok(values);
  }
  let expectValue = true;
  for (;;) {
    const token = stream.next(true);
    if (token.kind === 'identifier' && expectValue) {
      values.push(token.text);
      expectValue = false;
    } else if (token.kind === ',') {
      if (expectValue) values.push('');
      expectValue = true;
    } else if (token.kind === ')') {
      if (expectValue) values.push('');
      return ok(values);
    } else {
      return fail('BadRequest', `found '${token.text}', expected: ',', ')' or identifier`);
    }
  }
}

/** The single value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end means "". */
function parseExactValue(stream: TokenStream): Result<string[]> {
  const next = stream.peek(true);
  if (next.kind === 'end' || next.kind === ',') return ok(['']);
  const token = stream.next(true);
  if (token.kind !== 'identifier') return fail('BadRequest', `found '${token.text}', expected: identifier`);
  return ok([token.text]);
}
