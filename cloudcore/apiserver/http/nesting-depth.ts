/**
 * Nesting depth of request bodies, checked before anything recursive touches them (docs/limits.md
 * § API, "Nesting depth"). JSON.parse itself does not recurse; the YAML parser does, and a deep
 * enough YAML body once crashed the process.
 */
import { jsonDepth } from '../../../shared/json/index.js';

/**
 * Kubernetes accepts 10,000 levels (k8s.io/apimachinery/pkg/util/json's maxDepth, Go
 * encoding/json's too), and so do we on every path a body reaches: those walks keep their own
 * stacks (shared/json), never Node's (test/e2e/hostile-bodies.test.ts).
 */
export const MAX_NESTING_DEPTH = 10_000;

/**
 * Block-style YAML (not JSON sent as YAML, which is what kubectl sends) is parsed by a recursive
 * parser; this many levels it handles with room to spare on Node's default stack.
 */
export const MAX_YAML_NESTING_DEPTH = 200;

/** The deepest `{`/`[` nesting of JSON text, counting past `limit` only as far as limit + 1. */
export function jsonTextDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * A bound on the nesting of YAML text: indentation levels plus `- ` sequence entries plus flow
 * brackets on a line. It may count more than the parsed value holds (a block scalar's indented
 * lines), never less for what the parser would recurse on.
 */
export function yamlTextDepth(text: string, limit = MAX_YAML_NESTING_DEPTH): number {
  const indents: number[] = [];
  let flow = 0;
  let deepest = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (content === '' || content.startsWith('#')) continue;
    if (flow === 0) {
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
      indents.push(indent);
    }
    let dashes = 0;
    while (content.startsWith('- ', dashes * 2)) dashes++;
    deepest = Math.max(deepest, indents.length + dashes + flow);
    let quote = '';
    let previous = ' ';
    for (const ch of content) {
      const comment = ch === '#' && (previous === ' ' || previous === '\t'); // `a#b` is a scalar
      previous = ch;
      if (quote !== '') {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (comment) break;
      else if (ch === '{' || ch === '[') {
        flow++;
        deepest = Math.max(deepest, indents.length + dashes + flow);
      } else if (ch === '}' || ch === ']') flow = Math.max(0, flow - 1);
    }
    if (deepest > limit) return deepest;
  }
  return deepest;
}

/** The nesting depth of a decoded value, without recursion (objects and arrays count 1 each). */
export function valueDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  return jsonDepth(value, limit);
}

/**
 * Go's encoding/json error for a body past its depth limit, which Kubernetes answers with:
 * `invalid character '{' exceeded max depth`, naming the bracket that opened one level too many.
 */
export function exceededMaxDepth(text: string, limit = MAX_NESTING_DEPTH): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > limit) return `invalid character '${text[i]}' exceeded max depth`;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return 'exceeded max depth';
}

/** exceededMaxDepth for a decoded value (YAML, protobuf): the bracket its JSON would have there. */
export function valueExceededMaxDepth(value: unknown, limit = MAX_NESTING_DEPTH): string {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, depth } = top;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return `invalid character '${Array.isArray(node) ? '[' : '{'}' exceeded max depth`;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return 'exceeded max depth';
}
