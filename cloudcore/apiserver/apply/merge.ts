import type { Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';
import { extendPath, formatPath, pathElements, type LinkedPath } from './field-set.js';
import { cloneJson, setKey } from './json.js';
import { fieldOf, isList, itemElement, itemOf, shapeOf, type Schema, type Shape } from './schema-shape.js';

type ListShape = Extract<Shape, { kind: 'list-map' | 'list-set' }>;

/**
 * Merges an applied configuration into the live value (structured-merge-diff's Merge): the
 * configuration's leaves win, structs and maps merge key by key, map-typed lists merge item by
 * item on their keys, set-typed lists as sets, atomic lists are replaced. A null in the
 * configuration clears the field, as it does once Kubernetes decodes the result into its types.
 * Neither input is mutated. Fails (BadRequest) on list items without their keys, or duplicated.
 */
export function mergeValues(live: unknown, config: unknown, schema: Schema): Result<unknown> {
  return runStepwise(mergeAt(live, config, schema, undefined));
}

/* The merge goes as deep as the configuration, so through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* mergeAt(live: unknown, config: unknown, schema: Schema, path: LinkedPath | undefined): Step<Result<unknown>> {
  if (config === undefined) return { ok: true, value: cloneJson(live) };
  const shape = shapeOf(schema, config);
  if (isList(shape)) return yield* descend(mergeLists(Array.isArray(live) ? live : [], config as unknown[], shape, itemOf(schema), path));
  if (shape.kind === 'leaf' || !isRecord(config)) return { ok: true, value: cloneJson(config) };
  // Live fields the configuration names are merged (and copied) below, not copied here first.
  const out: Record<string, unknown> = {};
  if (isRecord(live)) for (const [key, item] of Object.entries(live)) setKey(out, key, Object.hasOwn(config, key) ? item : cloneJson(item));
  for (const [key, value] of Object.entries(config)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    const merged = yield* descend(mergeAt(current, value, fieldOf(schema, key).schema, extendPath(path, `f:${key}`)));
    if (!merged.ok) return merged;
    setKey(out, key, merged.value);
  }
  return { ok: true, value: out };
}

/**
 * The order structured-merge-diff gives a merged list: the configuration's items in its order,
 * live items it does not name where the live list has them (walking both lists together, a live
 * item the configuration does not name comes out as soon as it is reached).
 */
function* mergeLists(live: unknown[], config: unknown[], shape: ListShape, items: Schema, path: LinkedPath | undefined): Step<Result<unknown[]>> {
  const right: string[] = [];
  for (const [index, item] of config.entries()) {
    const element = itemElement(shape, item);
    if (!element.ok) return { ok: false, code: 'BadRequest', message: `${formatPath(pathElements(path))}: element ${index}: ${element.message}` };
    if (right.includes(element.value)) {
      return { ok: false, code: 'BadRequest', message: `${formatPath(pathElements(path))}: duplicate entries for key ${formatPath([element.value])}` };
    }
    right.push(element.value);
  }
  // Live items that cannot be keyed stay where they are, never matched.
  const left = live.map((item, index) => {
    const element = itemElement(shape, item);
    return element.ok ? element.value : `#unkeyed-${index}`;
  });
  const inRight = new Set(right);
  const shared = right.filter((element) => left.includes(element));
  let nextShared = shared.shift();
  const done = new Set<string>();
  const out: unknown[] = [];
  const emit = function* (element: string, configItem: unknown): Step<Result<unknown>> {
    done.add(element);
    const index = left.indexOf(element);
    const merged = yield* descend(mergeAt(index >= 0 ? live[index] : undefined, configItem, items, extendPath(path, element)));
    if (merged.ok) out.push(merged.value);
    return merged;
  };
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    const leftElement = left[l];
    const rightElement = right[r];
    if (leftElement !== undefined && rightElement !== undefined) {
      if (leftElement === rightElement) {
        const merged = yield* descend(emit(rightElement, config[r]));
        if (!merged.ok) return merged;
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      // A shared item, but not the next one in the configuration's order: it comes later.
      if (inRight.has(leftElement) && nextShared !== undefined && nextShared !== leftElement) {
        l++;
        continue;
      }
    }
    if (leftElement !== undefined && (!inRight.has(leftElement) || done.has(leftElement))) {
      if (!inRight.has(leftElement)) out.push(cloneJson(live[l]));
      l++;
      continue;
    }
    if (rightElement !== undefined) {
      const merged = yield* descend(emit(rightElement, config[r]));
      if (!merged.ok) return merged;
      r++;
      if (nextShared === rightElement) nextShared = shared.shift();
    }
  }
  return { ok: true, value: out };
}
