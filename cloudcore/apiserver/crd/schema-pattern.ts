import { RE2JS, RE2JSException } from 're2js';

/**
 * CRD schema `pattern`s, compiled with RE2 semantics (docs/limits.md § API, "CRD patterns"). A
 * CRD's schema is third-party input: JavaScript's backtracking RegExp takes exponential time on
 * `^(a+)+$` against `aaa…!` and would freeze the event loop. RE2 matches in time linear in the
 * input, and refuses what it cannot match that way (backreferences, lookaround), as Go's
 * regexp, and so the Kubernetes apiserver, does.
 */
export type CompiledPattern = { ok: true; regex: RE2JS } | { ok: false; reason: string };

/** How many compiled patterns stay cached; the least recently used one goes first. */
export const PATTERN_CACHE_LIMIT = 1000;

const cache = new Map<string, CompiledPattern>();

/** The compiled pattern, or why RE2 refuses it (Go's regexp error text: `error parsing regexp: …`). */
export function compileSchemaPattern(pattern: string): CompiledPattern {
  const cached = cache.get(pattern);
  if (cached !== undefined) {
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    cache.delete(pattern);
    cache.set(pattern, cached);
    return cached;
  }
  const compiled = compileUncached(pattern);
  cache.set(pattern, compiled);
  if (cache.size > PATTERN_CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return compiled;
}

/** Whether `value` contains a match, as OpenAPI's `pattern` (unanchored, like Go's MatchString). */
export function matchesSchemaPattern(pattern: string, value: string): boolean {
  const compiled = compileSchemaPattern(pattern);
  return compiled.ok && compiled.regex.matcher(value).find();
}

/** How many patterns the cache holds now (for tests of its bound). */
export function cachedPatternCount(): number {
  return cache.size;
}

function compileUncached(pattern: string): CompiledPattern {
  try {
    return { ok: true, regex: RE2JS.compile(pattern) };
  } catch (err) {
    if (err instanceof RE2JSException) return { ok: false, reason: err.message };
    throw err;
  }
}
