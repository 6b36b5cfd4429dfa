import { descend, runStepwise, stringifyJson, type Step } from '../../../shared/json/index.js';
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

/**
 * A path built one element per level without copying: walks as deep as an object (10,000
 * levels) would otherwise copy tens of millions of elements. Each entry remembers the set node it
 * was inserted at, so inserting along one walk does not start from the root each time.
 */
export interface LinkedPath {
  readonly element: string;
  readonly parent: LinkedPath | undefined;
  nodes?: Map<FieldSet, FieldSet>;
}

export function extendPath(parent: LinkedPath | undefined, element: string): LinkedPath {
  return { element, parent };
}

export function pathElements(path: LinkedPath | undefined): string[] {
  const elements: string[] = [];
  for (let p = path; p !== undefined; p = p.parent) elements.push(p.element);
  return elements.reverse();
}

/** Adds `path` as a member of `set`, in place, like insertPath. */
export function insertLinked(set: FieldSet, path: LinkedPath | undefined): void {
  const pending: LinkedPath[] = [];
  let node = set;
  for (let p = path; p !== undefined; p = p.parent) {
    const cached = p.nodes?.get(set);
    if (cached !== undefined) {
      node = cached;
      break;
    }
    pending.push(p);
  }
  for (let i = pending.length - 1; i >= 0; i--) {
    const p = pending[i] as LinkedPath;
    let child = node.children.get(p.element);
    if (child === undefined) {
      child = emptySet();
      node.children.set(p.element, child);
    }
    (p.nodes ??= new Map()).set(set, child);
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
  const pending = [set];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.member) return false;
    for (const child of node.children.values()) pending.push(child); // no spread: a map may have 100,000s of keys
  }
  return true;
}

/*
 * The set operations below walk as deep as the sets, which are as deep as the objects they
 * describe (10,000 levels in a preserve-unknown-fields subtree), so they recurse through
 * runStepwise, never on Node's stack (docs/limits.md § API, "Nesting depth"). Every set they
 * return holds no empty nodes below its root, so whether a result is empty is read at its top.
 */

export function union(a: FieldSet, b: FieldSet): FieldSet {
  return runStepwise(unionOf(a, b));
}

function* unionOf(a: FieldSet, b: FieldSet): Step<FieldSet> {
  const out: FieldSet = { member: a.member || b.member, children: new Map() };
  for (const key of new Set([...a.children.keys(), ...b.children.keys()])) {
    const left = a.children.get(key);
    const right = b.children.get(key);
    const merged = yield* descend(left === undefined ? copyOf(right ?? emptySet()) : right === undefined ? copyOf(left) : unionOf(left, right));
    if (!isBare(merged)) out.children.set(key, merged);
  }
  return out;
}

/** The members of `a` that are not members of `b` (members only: b's members do not cover a's descendants). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return runStepwise(differenceOf(a, b));
}

function* differenceOf(a: FieldSet, b: FieldSet): Step<FieldSet> {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [key, left] of a.children) {
    const right = b.children.get(key);
    const rest = yield* descend(right === undefined ? copyOf(left) : differenceOf(left, right));
    if (!isBare(rest)) out.children.set(key, rest);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return runStepwise(intersectionOf(a, b));
}

function* intersectionOf(a: FieldSet, b: FieldSet): Step<FieldSet> {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [key, left] of a.children) {
    const right = b.children.get(key);
    if (right === undefined) continue;
    const common = yield* descend(intersectionOf(left, right));
    if (!isBare(common)) out.children.set(key, common);
  }
  return out;
}

/** A copy without empty nodes. */
export function copySet(set: FieldSet): FieldSet {
  return runStepwise(copyOf(set));
}

function* copyOf(set: FieldSet): Step<FieldSet> {
  const out: FieldSet = { member: set.member, children: new Map() };
  for (const [key, child] of set.children) {
    const copy = yield* descend(copyOf(child));
    if (!isBare(copy)) out.children.set(key, copy);
  }
  return out;
}

/** Empty, for a set built by the operations above (their children are never empty). */
function isBare(set: FieldSet): boolean {
  return !set.member && set.children.size === 0;
}

/** Every member path, depth first, children in FieldsV1 order. */
export function memberPaths(set: FieldSet, prefix: FieldPath = []): string[][] {
  const out: string[][] = [];
  // Walked with an explicit stack (sets are as deep as objects); a path is built only for a member.
  interface Visit { node: FieldSet; element: string | undefined; parent: Visit | undefined }
  const pathOf = (visit: Visit): string[] => {
    const elements: string[] = [];
    for (let v: Visit | undefined = visit; v?.element !== undefined; v = v.parent) elements.push(v.element);
    return [...prefix, ...elements.reverse()];
  };
  const pending: Visit[] = [{ node: set, element: undefined, parent: undefined }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    if (visit.node.member) out.push(pathOf(visit));
    const keys = sortedKeys(visit.node.children);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      pending.push({ node: visit.node.children.get(key) ?? emptySet(), element: key, parent: visit });
    }
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
