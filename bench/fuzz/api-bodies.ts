import { stringify as toYaml } from 'yaml';
import { collectionPath, FUZZ_KINDS, FUZZ_NAMESPACE, sampleObject, SEED_NAMES, tame, type FuzzKind } from './api-objects.js';
import { mutateBytes } from './mutate-bytes.js';
import { mutateJson } from './mutate-json.js';
import type { Prng } from './prng.js';
import { protobufBody } from './protobuf-body.js';
import { asciiWord, percentEncode, randomString, type Json } from './values.js';

/**
 * API write requests for the fuzzer: create, update, the four patch types and server-side apply,
 * on several kinds, with JSON, YAML and protobuf bodies built from valid samples and mutated by
 * structure and by bytes. Every request targets FUZZ_NAMESPACE.
 */
export interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the case is, for failure messages. */
  label: string;
  /** How much of the answer's body to keep (default 64 KiB: enough to judge a fuzz case). */
  keepBytes?: number;
}

export type WriteOperation = 'create' | 'update' | 'jsonPatch' | 'mergePatch' | 'strategicPatch' | 'apply';
const OPERATIONS: ReadonlyArray<readonly [number, WriteOperation]> = [[3, 'create'], [2, 'update'], [2, 'jsonPatch'], [2, 'mergePatch'], [2, 'strategicPatch'], [2, 'apply']];
const PROTOBUF_KINDS = new Set<FuzzKind>(['Pod', 'ConfigMap', 'Secret', 'Deployment']);
const PATCH_TYPES: Record<Exclude<WriteOperation, 'create' | 'update'>, string> = {
  jsonPatch: 'application/json-patch+json',
  mergePatch: 'application/merge-patch+json',
  strategicPatch: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

function jsonPatchSample(prng: Prng, object: { [key: string]: Json }): Json {
  const ops: Json[] = [
    { op: 'test', path: '/metadata/name', value: (object.metadata as { name: string }).name },
    { op: 'add', path: '/metadata/labels/added', value: 'yes' },
    { op: 'replace', path: '/metadata/annotations/note', value: 'patched' },
    { op: 'remove', path: '/metadata/labels/tier' },
    { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
    { op: 'move', from: '/metadata/annotations/note', path: '/metadata/annotations/moved' },
    { op: 'add', path: '/metadata/finalizers/-', value: 'fuzz.outpost.dev/x' },
  ];
  return Array.from({ length: prng.range(1, 4) }, () => prng.pick(ops));
}

/** JSON patch values at replica-like paths are capped like the objects are (api-objects.ts tame). */
function tamePatch(patch: Json): Json {
  if (!Array.isArray(patch)) return tame(patch);
  for (const op of patch) {
    if (typeof op === 'object' && op !== null && !Array.isArray(op) && typeof op.path === 'string' && /(replicas|parallelism|completions)$/.test(op.path) && typeof op.value === 'number' && op.value > 3) op.value = 3;
    tame(op);
  }
  return patch;
}

function partialSample(prng: Prng, object: { [key: string]: Json }, strategic: boolean): Json {
  const patch: { [key: string]: Json } = { metadata: { labels: { patched: 'yes', tier: null }, annotations: { note: 'merge' } } };
  if (object.spec !== undefined && prng.chance(0.5)) patch.spec = structuredClone(object.spec);
  if (object.data !== undefined && prng.chance(0.5)) patch.data = { c: '3', a: null };
  if (strategic && prng.chance(0.5)) {
    // Strategic merge patch directives (Kubernetes' strategicpatch package).
    patch.metadata = { ...(patch.metadata as object), $patch: prng.pick(['replace', 'merge', 'delete', 'bogus']) } as Json;
    if (object.kind === 'Pod') patch.spec = { containers: [{ name: 'c', $patch: prng.pick(['delete', 'replace']) }], '$setElementOrder/containers': [{ name: 'c' }] } as Json;
  }
  return patch;
}

type Encoding = 'json' | 'yaml' | 'protobuf';

function encode(prng: Prng, value: Json, encoding: Exclude<Encoding, 'protobuf'>, donors: readonly Buffer[]): Buffer {
  let text: string;
  if (encoding === 'yaml') {
    try {
      text = toYaml(value, { aliasDuplicateObjects: false, lineWidth: 0 });
    } catch (err) {
      text = `# ${(err as Error).message}\n${JSON.stringify(value)}`; // a value YAML cannot write (a lone surrogate): send it as JSON text
    }
  } else text = JSON.stringify(value);
  const bytes = Buffer.from(text, 'utf8');
  return prng.chance(0.35) ? mutateBytes(prng, bytes, donors).bytes : bytes;
}

const yamlType = (prng: Prng): string => prng.pick(['application/yaml', 'application/yaml', 'application/x-yaml', 'text/yaml']);

/** Query parameters a write takes, sometimes. */
function writeQuery(prng: Prng, operation: WriteOperation): string {
  const params: string[] = [];
  if (operation === 'apply') params.push(`fieldManager=${prng.chance(0.9) ? 'fuzz' : percentEncode(randomString(prng, 140))}`, ...(prng.chance(0.5) ? [`force=${prng.pick(['true', 'false', '1', 'yes'])}`] : []));
  else if (prng.chance(0.2)) params.push(`fieldManager=${percentEncode(randomString(prng, 140))}`);
  if (prng.chance(0.15)) params.push(`dryRun=${prng.pick(['All', 'all', 'None', ''])}`);
  if (prng.chance(0.15)) params.push(`fieldValidation=${prng.pick(['Strict', 'Warn', 'Ignore', 'strict', 'bogus'])}`);
  return params.length > 0 ? `?${params.join('&')}` : '';
}

/** One fuzz write on a random kind; `caseIndex` makes created names unique within the run. */
export function apiWriteCase(prng: Prng, caseIndex: number): HttpCase {
  const kind = prng.pick(FUZZ_KINDS);
  const operation = prng.weighted(OPERATIONS);
  const name = operation === 'create' ? (prng.chance(0.85) ? `f-${caseIndex.toString(36)}` : prng.chance(0.5) ? prng.pick(SEED_NAMES) : randomString(prng, 70)) : prng.chance(0.9) ? prng.pick(SEED_NAMES) : asciiWord(prng, prng.range(1, 20));
  const object = sampleObject(kind, name, FUZZ_NAMESPACE);
  const donors = FUZZ_KINDS.map((k) => sampleObject(k, 'donor', FUZZ_NAMESPACE) as Json);
  const donorBytes = donors.map((d) => Buffer.from(JSON.stringify(d)));
  const collection = collectionPath(kind, FUZZ_NAMESPACE);
  const itemPath = `${collection}/${percentEncode(name)}`;
  const query = writeQuery(prng, operation);
  const label = `${operation} ${kind} ${JSON.stringify(name).slice(0, 40)}`;
  const mutated = (sample: Json): Json => tamePatch(prng.chance(0.9) ? mutateJson(prng, sample, donors) : sample);

  if (operation === 'create' || operation === 'update') {
    const encoding = prng.weighted<Encoding>([[6, 'json'], [2, 'yaml'], [PROTOBUF_KINDS.has(kind) ? 2 : 0, 'protobuf']]);
    const method = operation === 'create' ? 'POST' : 'PUT';
    const path = (operation === 'create' ? collection : itemPath) + query;
    if (encoding === 'protobuf') {
      const body = protobufBody(prng, kind as 'Pod' | 'ConfigMap' | 'Secret' | 'Deployment', name, FUZZ_NAMESPACE, donorBytes);
      return { method, path, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: prng.pick(['application/json', 'application/vnd.kubernetes.protobuf']) }, body, label: `${label} protobuf` };
    }
    const body = encode(prng, mutated(object), encoding, donorBytes);
    return { method, path, headers: { 'Content-Type': encoding === 'yaml' ? yamlType(prng) : 'application/json' }, body, label: `${label} ${encoding}` };
  }
  const sample = operation === 'jsonPatch' ? jsonPatchSample(prng, object) : operation === 'apply' ? object : partialSample(prng, object, operation === 'strategicPatch');
  const encoding = operation === 'apply' && prng.chance(0.5) ? 'yaml' : 'json';
  const body = encode(prng, mutated(sample), encoding, donorBytes);
  return { method: 'PATCH', path: itemPath + query, headers: { 'Content-Type': PATCH_TYPES[operation] }, body, label: `${label} ${encoding}` };
}
