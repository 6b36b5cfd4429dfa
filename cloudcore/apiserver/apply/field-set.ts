import { stringifyJson } from '../../../shared/json/index.js';
/**
 * A set of field paths, in the shape of structured-merge-diff's fieldpath.Set: a tree whose edges
 * are path elements and whose nodes say whether the path itself is a member. Path elements are
 * kept in their FieldsV1 spelling, which is also what metadata.managedFields stores:
 *   `f:<name>`  a field of a struct or a key of a map
 *   `k:<json>`  an item of a map-typed list, by its key fields (a JSON object, keys sorted)
 *   `v:<json>`  an item of a set-typed list, by its value
 *   `i:<n>`     an item by index (lists without keys that are not atomic)
 */
export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

export type FieldPath = readonly string[];

export function emptySet(): FieldSet {
  return { member: false, children: new Map() };
}

export function setOf(...paths: FieldPath[]): FieldSet {
  const set = emptySet();
  for (const path of paths) insertPath(set, path);
  return set;
}

/** Adds `path` as a member, in place. */
export function insertPath(set: FieldSet, path: FieldPath): void {
  let node = set;
  for (const element of path) {
    let child = node.children.get(element);
    if (child === undefined) {
      child = emptySet();
      node.children.set(element, child);
    }
    node = child;
  }
  node.member = true;
}

export function hasPath(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set;
  for (const element of path) {
    node = node.children.get(element);
    if (node === undefined) return false;
  }
  return node.member;
}

export function isEmptySet(set: FieldSet): boolean {
  if (set.member) return false;
  for (const child of set.children.values()) if (!isEmptySet(child)) return false;
  return true;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member || b.member, children: new Map() };
  for (const key of new Set([...a.children.keys(), ...b.children.keys()])) {
    const left = a.children.get(key);
    const right = b.children.get(key);
    const merged = left === undefined ? copySet(right ?? emptySet()) : right === undefined ? copySet(left) : union(left, right);
    if (!isEmptySet(merged)) out.children.set(key, merged);
  }
  return out;
}

/** The members of `a` that are not members of `b` (members only: b's members do not cover a's descendants). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [key, left] of a.children) {
    const right = b.children.get(key);
    const rest = right === undefined ? copySet(left) : difference(left, right);
    if (!isEmptySet(rest)) out.children.set(key, rest);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [key, left] of a.children) {
    const right = b.children.get(key);
    if (right === undefined) continue;
    const common = intersection(left, right);
    if (!isEmptySet(common)) out.children.set(key, common);
  }
  return out;
}

export function copySet(set: FieldSet): FieldSet {
  return { member: set.member, children: new Map([...set.children].map(([k, v]) => [k, copySet(v)])) };
}

/** Every member path, depth first, children in FieldsV1 order. */
export function memberPaths(set: FieldSet, prefix: FieldPath = []): string[][] {
  const out: string[][] = [];
  if (set.member) out.push([...prefix]);
  for (const key of sortedKeys(set.children)) {
    out.push(...memberPaths(set.children.get(key) ?? emptySet(), [...prefix, key]));
  }
  return out;
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Fields, then keyed items, then values, then indexes, as structured-merge-diff orders them. */
export function sortedKeys(children: Map<string, FieldSet>): string[] {
  return [...children.keys()].sort((a, b) => {
    const kind = (KIND_ORDER[a.slice(0, 1)] ?? 9) - (KIND_ORDER[b.slice(0, 1)] ?? 9);
    if (kind !== 0) return kind;
    if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * A path as structured-merge-diff prints it in conflict messages:
 * `.spec.template.spec.containers[name="web"].image`, `[containerPort=80,protocol="TCP"]`,
 * `[="a"]` for a set item, `[0]` for an index.
 */
export function formatPath(path: FieldPath): string {
  return path.map(formatElement).join('');
}

function formatElement(element: string): string {
  const body = element.slice(2);
  switch (element.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      const key = parseJson(body);
      if (typeof key !== 'object' || key === null || Array.isArray(key)) return `[${body}]`;
      return `[${Object.entries(key).map(([name, value]) => `${name}=${formatValue(value)}`).join(',')}]`;
    }
    case 'v:':
      return `[=${formatValue(parseJson(body))}]`;
    case 'i:':
      return `[${body}]`;
    default:
      return element;
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? stringifyJson(value) : (stringifyJson(value) ?? 'null');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A malformed element only affects how a path prints: show it raw.
    return text;
  }
}
