#!/usr/bin/env node
// Generates cloudcore/apiserver/schema/generated/builtin-types.ts: the field table of the built-in
// Kubernetes kinds the API server serves, for strict field validation and the OpenAPI documents.
//
// Usage: node scripts/gen-builtin-schemas.mjs <path to node_modules holding kubernetes-models>
//   e.g. (in a scratch folder) npm install kubernetes-models@4.5 && node scripts/gen-builtin-schemas.mjs ./node_modules
//
// Source of truth: the TypeScript declarations of kubernetes-models (generated from the Kubernetes
// OpenAPI definitions). Each interface member `"field"?: Type;` becomes one table entry whose value
// is a short type code (see FIELD CODES in schema/builtin-types-decoder.ts). Doc comments are dropped.
// Patch metadata (merge keys, strategies) is not in those declarations; it lives in patch-metadata.ts.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT_KINDS = [
  ['', 'v1', 'kubernetes-models/v1', ['Namespace', 'Node', 'Pod', 'ConfigMap', 'Secret', 'Service', 'Event', 'ServiceAccount', 'Binding']],
  ['coordination.k8s.io', 'v1', 'kubernetes-models/coordination.k8s.io/v1', ['Lease']],
  ['apps', 'v1', 'kubernetes-models/apps/v1', ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']],
  ['batch', 'v1', 'kubernetes-models/batch/v1', ['Job', 'CronJob']],
  ['autoscaling', 'v1', 'kubernetes-models/autoscaling/v1', ['Scale']],
  ['apiextensions.k8s.io', 'v1', 'kubernetes-models/apiextensions.k8s.io/v1', ['CustomResourceDefinition']],
  // The kinds a typical Helm chart carries (docs/kinds.md). Listed after the kinds above, so a
  // type name two packages share keeps its short name for the kind listed first.
  ['networking.k8s.io', 'v1', 'kubernetes-models/networking.k8s.io/v1', ['Ingress', 'IngressClass', 'NetworkPolicy']],
  ['autoscaling', 'v2', 'kubernetes-models/autoscaling/v2', ['HorizontalPodAutoscaler']],
  ['autoscaling', 'v1', 'kubernetes-models/autoscaling/v1', ['HorizontalPodAutoscaler']],
  ['', 'v1', 'kubernetes-models/v1', ['PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota']],
  ['storage.k8s.io', 'v1', 'kubernetes-models/storage.k8s.io/v1', ['StorageClass']],
  ['scheduling.k8s.io', 'v1', 'kubernetes-models/scheduling.k8s.io/v1', ['PriorityClass']],
  ['node.k8s.io', 'v1', 'kubernetes-models/node.k8s.io/v1', ['RuntimeClass']],
  ['events.k8s.io', 'v1', 'kubernetes-models/events.k8s.io/v1', ['Event']],
  ['admissionregistration.k8s.io', 'v1', 'kubernetes-models/admissionregistration.k8s.io/v1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']],
  // Services and eviction (docs/services.md, docs/eviction.md).
  ['', 'v1', 'kubernetes-models/v1', ['Endpoints', 'ReplicationController']],
  ['discovery.k8s.io', 'v1', 'kubernetes-models/discovery.k8s.io/v1', ['EndpointSlice']],
  ['policy', 'v1', 'kubernetes-models/policy/v1', ['PodDisruptionBudget', 'Eviction']],
  // Identity (docs/rbac.md, docs/users.md).
  ['rbac.authorization.k8s.io', 'v1', 'kubernetes-models/rbac.authorization.k8s.io/v1', ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']],
  ['certificates.k8s.io', 'v1', 'kubernetes-models/certificates.k8s.io/v1', ['CertificateSigningRequest']],
];

// Declarations that are aliases or opaque wrappers in kubernetes-models, mapped to scalar codes.
const SPECIAL_TYPES = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'q',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'ios',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 't',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 't',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'a',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'a',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': 'a',
  // Schema-or-bool / schema-or-array unions: Kubernetes decodes them with a lenient custom
  // unmarshaller, so unknown fields beneath them are not reported there either.
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': 'a',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': 'a',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': 'a',
};

// TypeScript has one `number`; these few Kubernetes fields are floats, every other number an integer.
const FLOAT_FIELDS = new Set(['JSONSchemaProps.maximum', 'JSONSchemaProps.minimum', 'JSONSchemaProps.multipleOf']);

// apiVersion and kind are declared required by kubernetes-models but are optional in Kubernetes.
const NEVER_REQUIRED = new Set(['apiVersion', 'kind']);

function openApiName(file, modulesDir) {
  const rel = relative(modulesDir, file).replace(/\\/g, '/').replace(/\.d\.ts$/, '');
  const parts = rel.split('/');
  const type = parts.pop();
  if (parts[0] === '@kubernetes-models' && parts[1] === 'apimachinery') {
    return `io.k8s.apimachinery.pkg.${parts.slice(2).join('.')}.${type}`;
  }
  if (parts[0] !== 'kubernetes-models') throw new Error(`unexpected declaration path ${rel}`);
  if (parts.length === 2) return `io.k8s.api.core.${parts[1]}.${type}`;
  const group = parts[1];
  const version = parts[2];
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${type}`;
  return `io.k8s.api.${group.replace(/\.k8s\.io$/, '')}.${version}.${type}`;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Splits `"a"?: T; "b": U;` at top-level semicolons (types may hold nested braces and brackets). */
function parseMembers(body, where) {
  const members = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '<' || c === '(') depth++;
    else if (c === '}' || c === '>' || c === ')') depth--;
    else if (c === ';' && depth === 0) {
      const text = body.slice(start, i).trim();
      start = i + 1;
      if (text.startsWith('[key: string]')) throw new Error(`index signature in ${where}`);
      const m = text.match(/^"([^"]+)"(\?)?:\s*([\s\S]+)$/);
      if (!m) throw new Error(`cannot parse member in ${where}: ${text}`);
      members.push({ name: m[1], optional: m[2] === '?', type: m[3].replace(/\s+/g, ' ') });
    }
  }
  if (body.slice(start).trim()) throw new Error(`trailing text in ${where}: ${body.slice(start)}`);
  return members;
}

/** Parses one declaration file: its imports and the members of its main interface. */
function parseDeclaration(file) {
  const text = stripComments(readFileSync(file, 'utf8'));
  const imports = new Map();
  for (const m of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) imports.set(m[1], m[2]);
  const alias = text.match(/export declare type (\w+) = ([^;]+);/);
  if (alias) return { imports, alias: alias[2], self: alias[1], members: [] };
  // An empty interface is an opaque value (any JSON) in kubernetes-models.
  if (/export interface \w+(?: extends \w+)? \{\n\}/.test(text)) return { imports, self: '', members: [] };
  const iface = text.match(/export interface (\w+)(?: extends \w+)? \{\n([\s\S]*?)\n\}\n/);
  if (!iface) throw new Error(`no interface in ${file}`);
  return { imports, self: iface[1], members: parseMembers(iface[2], file) };
}

function createGenerator(modulesDir) {
  const types = new Map(); // short name -> { pkg, fields }
  const fullNames = new Map(); // short name -> openapi name
  const queue = [];

  function resolveImport(fromFile, spec) {
    const base = spec.startsWith('.') ? resolve(dirname(fromFile), spec) : join(modulesDir, spec);
    return `${base}.d.ts`;
  }

  /** Registers a named type for generation and returns its code (short name or scalar code). */
  /**
   * The table name of a type: its short name, or, when another package's type already holds that
   * name (autoscaling/v1 and v2, core and events.k8s.io Event), `<package>.<name>` (e.g.
   * `autoscaling.v1.CrossVersionObjectReference`); the decoder takes the OpenAPI name's last part.
   */
  function tableName(full) {
    const short = full.slice(full.lastIndexOf('.') + 1);
    const known = fullNames.get(short);
    if (known === undefined || known === full) return short;
    return full.replace(/^io\.k8s\.api\./, '');
  }

  function refer(file) {
    const full = openApiName(file, modulesDir);
    if (SPECIAL_TYPES[full]) return SPECIAL_TYPES[full];
    const short = tableName(full);
    const known = fullNames.get(short);
    if (known && known !== full) throw new Error(`type name clash: ${known} and ${full}`);
    if (!known) {
      fullNames.set(short, full);
      queue.push({ file, short, full });
    }
    return short;
  }

  function typeCode(expr, ctx) {
    const t = expr.trim();
    if (t === 'string' || /^"[^"]*"( \| "[^"]*")*$/.test(t)) return 's';
    if (t === 'boolean') return 'b';
    if (t === 'number') return FLOAT_FIELDS.has(ctx.field) ? 'n' : 'i';
    const arr = t.match(/^Array<(.+)>$/);
    if (arr) return `[${typeCode(arr[1], ctx)}`;
    const map = t.match(/^\{ ?\[key: string\]: (.+?);? ?\}$/);
    if (map) return `{${typeCode(map[1], ctx)}`;
    if (t.startsWith('{')) return inlineObject(t.slice(1, -1), ctx);
    if (t === ctx.self) return refer(ctx.file);
    const spec = ctx.imports.get(t);
    if (spec) return refer(resolveImport(ctx.file, spec));
    throw new Error(`unknown type expression "${t}" in ${ctx.field}`);
  }

  /**
   * An object type written inline, e.g. StatefulSetSpec.volumeClaimTemplates holds whole
   * PersistentVolumeClaims. Named after its spec type (XSpec → X) when it has one.
   */
  function inlineObject(body, ctx) {
    const members = parseMembers(body, ctx.field);
    const spec = members.find((m) => m.name === 'spec');
    const specCode = spec ? typeCode(spec.type, ctx) : '';
    const [owner, field] = ctx.field.split('.');
    const short = specCode.endsWith('Spec') ? specCode.slice(0, -4) : `${owner}${field[0].toUpperCase()}${field.slice(1)}`;
    const specFull = fullNames.get(specCode);
    const full = `${specFull ? specFull.slice(0, specFull.lastIndexOf('.')) : ctx.pkg}.${short}`;
    const known = fullNames.get(short);
    if (known && known !== full) throw new Error(`type name clash: ${known} and ${full}`);
    if (!known) {
      fullNames.set(short, full);
      addType(short, full, members, ctx);
    }
    return short;
  }

  function addType(short, full, members, base) {
    const fields = {};
    types.set(short, { pkg: full.slice(0, full.lastIndexOf('.')), fields });
    for (const m of members) {
      const ctx = { ...base, field: `${short}.${m.name}` };
      const required = !m.optional && !NEVER_REQUIRED.has(m.name);
      fields[m.name] = typeCode(m.type, ctx) + (required ? '!' : '');
    }
  }

  function generateOne({ file, short, full }) {
    const decl = parseDeclaration(file);
    if (decl.alias !== undefined) throw new Error(`unhandled alias type ${full}: ${decl.alias}`);
    addType(short, full, decl.members, { file, self: decl.self, imports: decl.imports, pkg: full.slice(0, full.lastIndexOf('.')) });
  }

  function run() {
    const kinds = {};
    for (const [group, version, dir, names] of ROOT_KINDS) {
      for (const kind of names) {
        const file = join(modulesDir, dir, `${kind}.d.ts`);
        if (!existsSync(file)) throw new Error(`missing ${file}`);
        kinds[`${group ? `${group}/` : ''}${version}/${kind}`] = refer(file);
        // Each kind's types are named before the next kind is looked at (see tableName).
        while (queue.length > 0) generateOne(queue.shift());
      }
    }
    return { kinds, types };
  }
  return { run };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const key = (k) => (IDENT.test(k) ? k : JSON.stringify(k));
const str = (s) => `'${s}'`;

function render({ kinds, types }, sourceVersion) {
  const packages = [...new Set([...types.values()].map((t) => t.pkg))].sort();
  const lines = [
    '// GENERATED FILE - do not edit by hand.',
    '// Generated from the Kubernetes API type definitions, as published in the TypeScript declarations',
    `// of ${sourceVersion}, by scripts/gen-builtin-schemas.mjs.`,
    '// Regenerate: npm install kubernetes-models@4.5 in a scratch folder, then',
    '//   node scripts/gen-builtin-schemas.mjs <scratch>/node_modules',
    '// Field codes are explained in ../builtin-types-decoder.ts; patch metadata is in ../patch-metadata.ts.',
    '',
    '/** OpenAPI package of each type, by index. */',
    `export const PACKAGES: readonly string[] = [${packages.map(str).join(', ')}];`,
    '',
    '/** "group/version/Kind" (core group without prefix) → root type name. */',
    'export const KINDS: Readonly<Record<string, string>> = {',
    ...Object.entries(kinds).map(([k, v]) => `  ${str(k)}: ${str(v)},`),
    '};',
    '',
    '/** Type name → [package index, field → type code]. */',
    'export const TYPES: Readonly<Record<string, readonly [number, Readonly<Record<string, string>>]>> = {',
  ];
  for (const name of [...types.keys()].sort()) {
    const t = types.get(name);
    const fields = Object.entries(t.fields).map(([f, c]) => `${key(f)}:${str(c)}`).join(',');
    lines.push(`  ${key(name)}:[${packages.indexOf(t.pkg)},{${fields}}],`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

function main() {
  const modulesDir = process.argv[2];
  if (!modulesDir) {
    console.error('usage: node scripts/gen-builtin-schemas.mjs <node_modules folder holding kubernetes-models>');
    process.exit(2);
  }
  const dir = resolve(modulesDir);
  const pkg = JSON.parse(readFileSync(join(dir, 'kubernetes-models', 'package.json'), 'utf8'));
  const result = createGenerator(dir).run();
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = join(repo, 'cloudcore', 'apiserver', 'schema', 'generated');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'builtin-types.ts');
  const text = render(result, `${pkg.name}@${pkg.version}`);
  writeFileSync(out, text);
  console.log(`wrote ${relative(repo, out)}: ${result.types.size} types, ${text.length} bytes`);
}

main();
