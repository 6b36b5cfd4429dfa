import { collectionPath, CONTROL_NAMESPACE, MAX_AMPLIFICATION, FUZZ_KINDS, FUZZ_NAMESPACE, sampleObject, SEED_NAMES, widgetDefinition } from './api-objects.js';
import type { HttpSender } from './http-sender.js';
import type { Json } from './values.js';

/**
 * What a fuzz run sets up before its first case: the namespaces, the Widget CRD, seed objects of
 * every kind in FUZZ_NAMESPACE (what updates and patches hit), and the control set in
 * CONTROL_NAMESPACE, whose exact bytes are compared after the run (docs/limits.md § Fuzzing).
 */
export class FixtureError extends Error {
  readonly code = 'FixtureFailed';
}

async function call(sender: HttpSender, method: string, path: string, body?: Json): Promise<{ status: number; body: string }> {
  const outcome = await sender.send({
    method, path, label: `fixture ${method} ${path}`,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }),
  });
  if (outcome.kind !== 'response') throw new FixtureError(`${method} ${path}: ${outcome.kind}`);
  return outcome;
}

async function create(sender: HttpSender, path: string, body: Json): Promise<void> {
  const res = await call(sender, 'POST', path, body);
  if (res.status !== 201 && res.status !== 409) throw new FixtureError(`POST ${path}: ${res.status} ${res.body.slice(0, 300)}`);
}

/** A scheduler no one runs: the control pod is never bound, so no controller ever touches it. */
const NO_SCHEDULER = 'fuzz-no-scheduler';

/** The control set: one object of each kind nothing in the run may change, and what lists them. */
function controlPaths(): Array<{ path: string; list: boolean }> {
  return [
    ...FUZZ_KINDS.flatMap((kind) => [{ path: collectionPath(kind, CONTROL_NAMESPACE), list: true }, { path: `${collectionPath(kind, CONTROL_NAMESPACE)}/control`, list: false }]),
    { path: `/api/v1/namespaces/${CONTROL_NAMESPACE}/events`, list: true },
    { path: `/api/v1/namespaces/${CONTROL_NAMESPACE}`, list: false },
  ];
}

/**
 * Empties FUZZ_NAMESPACE of what the run created (pods go at once: gracePeriodSeconds=0) and puts
 * the seed objects back, so that a long run's memory measures hostile input, not the thousands of
 * objects it was allowed to create.
 */
export async function resetFuzzNamespace(sender: HttpSender): Promise<void> {
  for (const path of [...FUZZ_KINDS.map((kind) => collectionPath(kind, FUZZ_NAMESPACE)), `/apis/apps/v1/namespaces/${FUZZ_NAMESPACE}/replicasets`]) {
    const res = await call(sender, 'DELETE', `${path}?gracePeriodSeconds=0&propagationPolicy=Background`);
    if (res.status !== 200) throw new FixtureError(`DELETE ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  }
  for (const kind of FUZZ_KINDS) for (const name of SEED_NAMES) await create(sender, collectionPath(kind, FUZZ_NAMESPACE), sampleObject(kind, name, FUZZ_NAMESPACE));
}

/** A whole list of the fuzz namespace's Deployments: at most a few hundred objects of at most 3 MiB. */
const MAX_LIST_BYTES = 1024 * 1024 * 1024;

/**
 * Scales back to MAX_AMPLIFICATION every Deployment in FUZZ_NAMESPACE that asks for more. The
 * mutators tame replica counts in the values they build (api-objects.ts `tame`), but a byte-level
 * mutation (a protobuf varint, a digit in JSON text) can still make a valid Deployment of a
 * billion replicas, which the controllers honour: 38,000 pods within seconds, and a reset whose
 * DELETE then outlasts the hang timeout. That is work asked for, not hostile input.
 */
export async function tameDeployments(sender: HttpSender): Promise<void> {
  const path = collectionPath('Deployment', FUZZ_NAMESPACE);
  const list = await sender.send({ method: 'GET', path, label: `fixture GET ${path}`, headers: {}, keepBytes: MAX_LIST_BYTES });
  if (list.kind !== 'response') throw new FixtureError(`GET ${path}: ${list.kind}`);
  if (list.status !== 200) throw new FixtureError(`GET ${path}: ${list.status} ${list.body.slice(0, 300)}`);
  const items = (JSON.parse(list.body) as { items?: Array<{ metadata?: { name?: string }; spec?: { replicas?: unknown } }> }).items ?? [];
  for (const item of items) {
    const replicas = item.spec?.replicas;
    const name = item.metadata?.name;
    if (name === undefined || typeof replicas !== 'number' || replicas <= MAX_AMPLIFICATION) continue;
    const res = await sender.send({
      method: 'PATCH', path: `${path}/${encodeURIComponent(name)}/scale`, label: `fixture scale ${name}`,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: Buffer.from(JSON.stringify({ spec: { replicas: MAX_AMPLIFICATION } })),
    });
    // 404/409: the fuzzer deleted or changed it meanwhile; the next check sees it again.
    if (res.kind !== 'response') throw new FixtureError(`PATCH ${path}/${name}/scale: ${res.kind}`);
  }
}

export async function prepareFixture(sender: HttpSender, options: { podNode?: string } = {}): Promise<void> {
  for (const name of [FUZZ_NAMESPACE, CONTROL_NAMESPACE]) await create(sender, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await create(sender, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetDefinition());
  const widgets = collectionPath('Widget', FUZZ_NAMESPACE);
  const deadline = Date.now() + 30_000;
  while ((await call(sender, 'GET', widgets)).status !== 200) {
    if (Date.now() > deadline) throw new FixtureError(`the Widget CRD is not served at ${widgets} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const kind of FUZZ_KINDS) {
    for (const name of SEED_NAMES) await create(sender, collectionPath(kind, FUZZ_NAMESPACE), sampleObject(kind, name, FUZZ_NAMESPACE, kind === 'Pod' ? options.podNode : undefined));
    if (kind === 'Deployment') continue; // a Deployment's status moves on as its controllers work: not a fixed control
    const control = sampleObject(kind, 'control', CONTROL_NAMESPACE);
    if (kind === 'Pod') (control.spec as { [key: string]: Json }).schedulerName = NO_SCHEDULER;
    await create(sender, collectionPath(kind, CONTROL_NAMESPACE), control);
  }
}

/**
 * The control set's bytes: each object as the API answers it, and each list's items (a list's own
 * resourceVersion moves with every write anywhere, so only its items are compared).
 */
export async function controlSnapshot(sender: HttpSender): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { path, list } of controlPaths()) {
    const res = await call(sender, 'GET', path);
    let text = `${res.status} ${res.body}`;
    if (res.status === 200 && list) {
      try {
        text = `200 ${JSON.stringify((JSON.parse(res.body) as { items?: unknown }).items ?? null)}`;
      } catch (err) {
        text = `200 unparsable list (${(err as Error).message}): ${res.body}`;
      }
    }
    out.set(path, text);
  }
  return out;
}

/** The paths whose bytes differ between two snapshots, with both versions cut short. */
export function snapshotDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([path, text]) => after.get(path) !== text).map(([path, text]) => `${path}: before ${text.slice(0, 300)} after ${(after.get(path) ?? '(missing)').slice(0, 300)}`);
}
