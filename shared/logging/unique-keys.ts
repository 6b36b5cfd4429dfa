import { pino, type Logger } from 'pino';

/**
 * Every log line is one JSON object with each key once (docs/logging.md § One key, one value).
 * pino appends a child's bindings to its parent's as text, and a line's own fields to both, so
 * without these hooks a child that names its `module` on top of a parent that has one (edged's
 * runtime, its containerd and stream handlers under edgecore's `module: "edged"`) writes
 * `"module"` twice: JSON with a repeated key is read differently, or refused, by many tools.
 */

/** Keys pino writes itself before a line's fields. */
const RESERVED = new Set(['level', 'time']);
const bindingsCache = new WeakMap<object, Record<string, unknown>>();

function boundFields(logger: Logger): Record<string, unknown> {
  let bound = bindingsCache.get(logger);
  if (bound === undefined) {
    bound = logger.bindings();
    bindingsCache.set(logger, bound);
  }
  return bound;
}

/** `edged` + `containerd` → `edged/containerd`; naming the parent's module again adds nothing. */
function nestedModule(parent: string, child: string): string {
  if (child === parent || parent.endsWith(`/${child}`)) return parent;
  return child.startsWith(`${parent}/`) ? child : `${parent}/${child}`;
}

/**
 * pino's onChild: rewrites the new child's bindings so each key appears once, the child's value
 * winning; a child module under a parent module becomes `parent/child` (edged/containerd).
 */
export function dedupeChildBindings(child: Logger): void {
  const parent = Object.getPrototypeOf(child) as Logger;
  const inherited = parent.bindings();
  const merged = child.bindings(); // JSON.parse keeps the last of repeated keys: the child's
  const parentModule = inherited.module;
  const childModule = merged.module;
  if (typeof parentModule === 'string' && typeof childModule === 'string') merged.module = nestedModule(parentModule, childModule);
  // pino.symbols is pino's documented hook for integrations; the bindings are rebuilt from none.
  (child as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] = '';
  child.setBindings(merged);
  bindingsCache.set(child, merged);
}

function isFieldObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

function lineKey(key: string): string {
  return `line${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

/**
 * The fields of one call, without keys the logger already writes: a field equal to a binding is
 * dropped; a different `module` is returned apart, to be nested under the bound one as a child's
 * is; any other that differs, or that is pino's own `level`/`time`, is kept as `lineKey`
 * (`node` → `lineNode`).
 */
export function withoutBoundKeys(fields: Record<string, unknown>, bound: Record<string, unknown>): { fields: Record<string, unknown>; module?: string } {
  let out: Record<string, unknown> | undefined;
  let module: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    const clashes = RESERVED.has(key) || Object.hasOwn(bound, key);
    if (!clashes) continue;
    out ??= { ...fields };
    delete out[key];
    if (!RESERVED.has(key) && JSON.stringify(bound[key]) === JSON.stringify(value)) continue;
    if (key === 'module' && typeof value === 'string') module = value;
    else out[lineKey(key)] = value;
  }
  return { fields: out ?? fields, ...(module === undefined ? {} : { module }) };
}

/** pino's hooks.logMethod: strips the first argument's clashing keys before pino writes it. */
export function logMethodWithoutBoundKeys(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
  const first = args[0];
  if (!isFieldObject(first)) {
    method.apply(this, args);
    return;
  }
  const cleaned = withoutBoundKeys(first, boundFields(this));
  args[0] = cleaned.fields;
  // A line about a part of this module (ModuleGroup's "starting module"): logged as a child's would be.
  method.apply(cleaned.module === undefined ? this : this.child({ module: cleaned.module }), args);
}
