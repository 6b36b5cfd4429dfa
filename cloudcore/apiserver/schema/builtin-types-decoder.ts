/**
 * Turns the generated field table (generated/builtin-types.ts) into SchemaNodes.
 *
 * FIELD CODES: `s` string, `i` integer, `n` number, `b` boolean, `q` quantity, `ios` int-or-string,
 * `t` date-time string, `a` any JSON value; `[X` a list of X, `{X` a map of string to X; any other
 * code names a type of the table. A trailing `!` marks a required field.
 *
 * Named types are decoded on first use and shared; references to them are lazy (`() => node`), so
 * recursive types such as JSONSchemaProps need no special care.
 */
import { KINDS, PACKAGES, TYPES } from './generated/builtin-types.js';
import { PATCH_METADATA, type FieldPatchMeta } from './patch-metadata.js';
import type { ArraySchema, ObjectSchema, ScalarSchema, SchemaNode } from './types.js';

type Ref = SchemaNode | (() => SchemaNode);

const SCALARS: Readonly<Record<string, ScalarSchema>> = {
  s: { type: 'string' },
  i: { type: 'integer' },
  n: { type: 'number' },
  b: { type: 'boolean' },
  q: { type: 'quantity' },
  ios: { type: 'int-or-string' },
  t: { type: 'string', format: 'date-time' },
  a: { type: 'any' },
};

const decoded = new Map<string, ObjectSchema>();
/** OpenAPI names of the decoded named nodes (and of their copies carrying patch metadata). */
const openApiNames = new WeakMap<SchemaNode, string>();

/** The OpenAPI component name of a built-in named type node, e.g. io.k8s.api.core.v1.PodSpec. */
export function builtinTypeName(node: SchemaNode): string | undefined {
  return openApiNames.get(node);
}

/** The root schema of a built-in kind, or undefined when the kind is not in the table. */
export function decodeKind(group: string, version: string, kind: string): ObjectSchema | undefined {
  const typeName = KINDS[`${group ? `${group}/` : ''}${version}/${kind}`];
  return typeName === undefined ? undefined : decodeType(typeName);
}

/** The schema of a named type of the table, e.g. 'PodSpec'. */
export function decodeType(name: string): ObjectSchema | undefined {
  const cached = decoded.get(name);
  if (cached) return cached;
  const entry = TYPES[name];
  if (!entry) return undefined;
  const [pkgIndex, fields] = entry;
  const node: ObjectSchema = { type: 'object', properties: {} };
  decoded.set(name, node);
  // A name two packages share is qualified in the table (`autoscaling.v1.HorizontalPodAutoscaler`).
  openApiNames.set(node, `${PACKAGES[pkgIndex] ?? 'unknown'}.${name.slice(name.lastIndexOf('.') + 1)}`);
  const required: string[] = [];
  for (const [field, rawCode] of Object.entries(fields)) {
    const isRequired = rawCode.endsWith('!');
    if (isRequired) required.push(field);
    const code = isRequired ? rawCode.slice(0, -1) : rawCode;
    node.properties[field] = fieldNode(code, PATCH_METADATA[`${name}.${field}`]);
  }
  if (required.length > 0) node.required = required;
  return node;
}

function fieldNode(code: string, meta: FieldPatchMeta | undefined): Ref {
  if (code.startsWith('[')) {
    const list: ArraySchema = { type: 'array', items: elementNode(code.slice(1)) };
    if (meta?.strategy !== undefined) list.patchStrategy = meta.strategy;
    if (meta?.mergeKey !== undefined) list.patchMergeKey = meta.mergeKey;
    // Kubernetes lists without a marker are atomic; saying so keeps server-side apply faithful.
    list.listType = meta?.listType ?? 'atomic';
    if (meta?.listMapKeys !== undefined) list.listMapKeys = meta.listMapKeys;
    return list;
  }
  if (code.startsWith('{')) return { type: 'map', values: elementNode(code.slice(1)) };
  const scalar = SCALARS[code];
  if (scalar) return meta?.strategy ? { ...scalar, patchStrategy: meta.strategy } : scalar;
  if (meta?.strategy === undefined) return () => namedType(code);
  // A field with its own patch strategy (e.g. DeploymentSpec.strategy: retainKeys) gets a copy of
  // the shared type node that carries the strategy and keeps the type's name.
  let withMeta: ObjectSchema | undefined;
  const strategy = meta.strategy;
  return () => {
    if (!withMeta) {
      const shared = namedType(code);
      withMeta = { ...shared, patchStrategy: strategy };
      const name = openApiNames.get(shared);
      if (name !== undefined) openApiNames.set(withMeta, name);
    }
    return withMeta;
  };
}

function elementNode(code: string): Ref {
  if (code.startsWith('[') || code.startsWith('{')) return fieldNode(code, undefined);
  return SCALARS[code] ?? (() => namedType(code));
}

function namedType(name: string): ObjectSchema {
  const node = decodeType(name);
  // The generator only emits references to types it also emitted; a miss is a corrupt table.
  if (!node) throw new Error(`builtin schema table references unknown type ${name}`);
  return node;
}
