import type { Prng } from './prng.js';
import { asciiWord, deepValue, NUMBER_LIKE_TEXT, randomKey, randomNumber, randomString, randomValue, type Json } from './values.js';

/**
 * Structure-aware mutation of a valid sample: each step picks one place in the value (found
 * without recursion) and replaces, removes, adds, retypes, duplicates or splices there, so most
 * cases stay close enough to valid to get past the first checks and reach the deeper code.
 */
type Container = Json[] | { [key: string]: Json };
interface Place {
  parent: Container;
  key: string | number;
  depth: number;
}

function isContainer(value: Json | undefined): value is Container {
  return typeof value === 'object' && value !== null;
}

/**
 * Every (parent, key) in the value's first 30 levels, breadth first, at most `limit` of them: the
 * mutators never reach into a deep nesting one of them made, so nestings never stack past the
 * ~1,000 levels one makes (neither this process nor the API then recurses too deep).
 */
function places(root: Container, limit = 2000): Place[] {
  const out: Place[] = [];
  const queue: Array<{ value: Container; depth: number }> = [{ value: root, depth: 1 }];
  while (queue.length > 0 && out.length < limit) {
    const { value, depth } = queue.shift() as { value: Container; depth: number };
    const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const key of keys) {
      out.push({ parent: value, key, depth });
      const child = (value as Record<string | number, Json>)[key];
      if (isContainer(child) && depth < 30) queue.push({ value: child, depth: depth + 1 });
    }
  }
  return out;
}

function get(place: Place): Json {
  return (place.parent as Record<string | number, Json>)[place.key] ?? null;
}

function set(place: Place, value: Json): void {
  (place.parent as Record<string | number, Json>)[place.key] = value;
}

function remove(place: Place): void {
  if (Array.isArray(place.parent)) place.parent.splice(place.key as number, 1);
  else delete place.parent[place.key as string];
}

function retype(prng: Prng, value: Json): Json {
  if (typeof value === 'number') return prng.pick<Json>([String(value), [value], { value }, value !== 0, null, prng.pick(NUMBER_LIKE_TEXT)]);
  if (typeof value === 'string') return prng.pick<Json>([Number(value), value.length, [value], { [value]: value }, value === '', null, true]);
  if (typeof value === 'boolean') return prng.pick<Json>([String(value), Number(value), [value], null]);
  if (value === null) return prng.pick<Json>(['null', 0, [], {}, false]);
  if (Array.isArray(value)) return prng.pick<Json>([Object.fromEntries(value.map((v, i) => [String(i), v])), value.length, JSON.stringify(value).slice(0, 200), value[0] ?? null]);
  return prng.pick<Json>([Object.values(value), Object.keys(value).join(','), Object.keys(value).length, null]);
}

export type JsonMutation = 'replace' | 'remove' | 'add' | 'retype' | 'edgeNumber' | 'string' | 'duplicate' | 'splice' | 'deep' | 'wide';

/** One mutation step in place; `donors` are other valid samples to splice from. */
export function mutateOnce(prng: Prng, root: Container, donors: readonly Json[]): JsonMutation {
  const all = places(root);
  const op = prng.weighted<JsonMutation>([
    [3, 'replace'], [2, 'remove'], [2, 'add'], [3, 'retype'], [3, 'edgeNumber'], [3, 'string'], [1, 'duplicate'], [2, 'splice'], [1, 'deep'], [1, 'wide'],
  ]);
  if (all.length === 0 || op === 'add') {
    const target = all.length === 0 ? root : get(prng.pick(all));
    const container = isContainer(target) ? target : root;
    if (Array.isArray(container)) container.splice(prng.int(container.length + 1), 0, randomValue(prng, 2));
    else container[randomKey(prng)] = randomValue(prng, 2);
    return 'add';
  }
  const place = prng.pick(all);
  switch (op) {
    case 'replace': set(place, randomValue(prng, 2)); break;
    case 'remove': remove(place); break;
    case 'retype': set(place, retype(prng, get(place))); break;
    case 'edgeNumber': set(place, prng.chance(0.7) ? randomNumber(prng) : prng.pick(NUMBER_LIKE_TEXT)); break;
    case 'string': set(place, randomString(prng)); break;
    case 'duplicate': set(prng.pick(all), structuredClone(get(place))); break;
    case 'splice': {
      const donor = prng.pick(donors);
      const donorPlaces = isContainer(donor) ? places(donor) : [];
      set(place, donorPlaces.length > 0 ? structuredClone(get(prng.pick(donorPlaces))) : structuredClone(donor));
      break;
    }
    // Nesting within the API's limit of 1,000 levels counted from the body's root (docs/limits.md § API).
    case 'deep': set(place, deepValue(prng, Math.max(0, prng.pick([8, 60, 400, 990]) - place.depth))); break;
    case 'wide': {
      const item: Json = prng.chance(0.5) ? randomNumber(prng) : asciiWord(prng, 8);
      set(place, prng.chance(0.5) ? Array.from({ length: prng.pick([100, 5000]) }, () => item) : Object.fromEntries(Array.from({ length: prng.pick([100, 3000]) }, (_, i) => [`k${i}`, item])));
      break;
    }
  }
  return op;
}

/** A mutated deep copy of `sample`: 1 to `maxSteps` steps. */
export function mutateJson(prng: Prng, sample: Json, donors: readonly Json[], maxSteps = 4): Json {
  if (!isContainer(sample)) return prng.chance(0.5) ? randomValue(prng) : retype(prng, sample);
  const copy = structuredClone(sample);
  for (let steps = prng.range(1, maxSteps); steps > 0; steps--) mutateOnce(prng, copy, donors);
  return copy;
}
