import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig, type RawResponse } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/poll.js';

/**
 * Hostile bodies and query parameters against a real cloudcore (docs/limits.md § API): nesting
 * deeper than Kubernetes accepts (10,000 levels) gets 400 on every write path and anything
 * shallower works on every path, numbers out of range get 400, and the process keeps answering.
 */
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;
const collection = '/apis/deep.example.com/v1/namespaces/default/deeps';
const TOO_DEEP = 100_000;
const MAX_NESTING_DEPTH = 10_000; // docs/limits.md § API, as Kubernetes
// Go's encoding/json error, which Kubernetes answers with.
const TOO_DEEP_MESSAGE = "couldn't decode the request body: invalid character '{' exceeded max depth";

beforeAll(async () => {
  cloud = await startCloud();
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'deeps.deep.example.com' },
    spec: {
      group: 'deep.example.com', scope: 'Namespaced', names: { plural: 'deeps', kind: 'Deep' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
    },
  };
  expect((await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
  await waitFor(async () => ((await api('GET', collection)).status === 200 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100, description: 'the CRD to be served' });
});
afterAll(async () => {
  await cloud?.stop();
});

/** `{"a":{"a":…1…}}` as text, so that the test process never recurses on it either. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepObject = (name: string, depth: number): string => `{"apiVersion":"deep.example.com/v1","kind":"Deep","metadata":{"name":"${name}"},"spec":${nested(depth)}}`;
const patchTypes = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

function writes(name: string, spec: (depth: number) => string) {
  return (depth: number): [string, () => Promise<RawResponse>][] => [
    ['create', () => api('POST', collection, deepObject(name, depth))],
    ['update', () => api('PUT', `${collection}/${name}`, deepObject(name, depth))],
    ['json patch', () => api('PATCH', `${collection}/${name}`, `[{"op":"add","path":"/spec/b","value":${spec(depth)}}]`, { 'Content-Type': patchTypes.json })],
    ['merge patch', () => api('PATCH', `${collection}/${name}`, `{"spec":{"c":${spec(depth)}}}`, { 'Content-Type': patchTypes.merge })],
    ['strategic patch', () => api('PATCH', `${collection}/${name}`, `{"spec":{"d":${spec(depth)}}}`, { 'Content-Type': patchTypes.strategic })],
    ['server-side apply', () => api('PATCH', `${collection}/${name}?fieldManager=e2e&force=true`, deepObject(name, depth), { 'Content-Type': patchTypes.apply })],
    ['YAML create', () => api('POST', collection, deepObject(`${name}-yaml`, depth), { 'Content-Type': 'application/yaml' })],
  ];
}

describe('nesting depth', () => {
  it.each([
    ['one level past 10,000', MAX_NESTING_DEPTH + 1],
    ['100,000 levels', TOO_DEEP],
  ])('refuses bodies nested %s with 400 on every write path, never 500', async (_what, depth) => {
    // Every body is `depth` levels deep: its spec one level less, a patch's value two less.
    for (const [what, send] of writes('too-deep', (d) => nested(d - 1))(depth - 1)) {
      const res = await send();
      // Custom resources take no strategic merge patch (415, as in Kubernetes), before any decoding.
      const expected = what === 'strategic patch' ? { status: 415, message: expect.stringContaining('unknown format') } : { status: 400, message: TOO_DEEP_MESSAGE };
      expect({ what, status: res.status, message: res.json<{ message: string }>().message }).toEqual({ what, ...expected });
    }
    expect((await api('GET', '/healthz')).status).toBe(200);
  });

  it('refuses block-style YAML nested deeper than 200 before the YAML parser, and stays up', async () => {
    // Deep YAML overflowed the parser's stack (about 900 levels) and once crashed the process.
    const yaml = `apiVersion: deep.example.com/v1\nkind: Deep\nmetadata:\n  name: yaml-deep\nspec:\n${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')} 1\n`;
    const flow = `apiVersion: deep.example.com/v1\nkind: Deep\nmetadata: {name: yaml-flow}\nspec: {a: ${'['.repeat(3000)}${']'.repeat(3000)}}\n`;
    for (const body of [yaml, flow]) {
      const res = await api('POST', collection, body, { 'Content-Type': 'application/yaml' });
      expect(res.status).toBe(400);
      expect(res.json<{ message: string }>().message).toBe("couldn't decode the request body: YAML nesting depth exceeds the limit of 200");
    }
    expect((await api('GET', '/healthz')).status).toBe(200);
    const shallow = `apiVersion: deep.example.com/v1\nkind: Deep\nmetadata:\n  name: yaml-shallow\nspec:\n  a:\n    b: [1, {c: 2}]\n`;
    expect((await api('POST', collection, shallow, { 'Content-Type': 'application/yaml' })).status).toBe(201);
  });

  it('refuses a patch that builds an object deeper than the limit', async () => {
    expect((await api('POST', collection, deepObject('grows', 10))).status).toBe(201);
    // Each patch is within the limit; the object it would build is not.
    const res = await api('PATCH', `${collection}/grows`, `[{"op":"add","path":"/spec/a/a/a/a/a/a/a/a/a/b","value":${nested(MAX_NESTING_DEPTH - 5)}}]`, { 'Content-Type': patchTypes.json });
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toBe("the patched object's nesting depth exceeds the limit of 10000");
  });

  it('accepts 10,000 levels on every write path, and reads them back whole with get, list and watch', async () => {
    // The body is one level deeper than its spec: the deepest body accepted.
    const depth = MAX_NESTING_DEPTH - 1;
    const results: string[] = [];
    const readBack = async (path: string): Promise<number[]> => {
      const object = (await api('GET', `${collection}/deep-enough`)).json<{ spec: Record<string, unknown> }>();
      return path.split(',').map((key) => chainDepth(object.spec[key]));
    };
    // A patch body wraps its value in two levels ({"spec":{"c":…}} or [{…"value":…}]): every body is 10,000 deep.
    for (const [what, send] of writes('deep-enough', (d) => nested(d - 1))(depth)) {
      const res = await send();
      results.push(`${what} ${res.status} ${res.status >= 300 && res.status !== 415 ? res.body.slice(0, 160) : ''}`);
    }
    expect(results).toEqual(['create 201 ', 'update 200 ', 'json patch 200 ', 'merge patch 200 ', 'strategic patch 415 ', 'server-side apply 200 ', 'YAML create 201 ']);
    // Server-side apply made spec the applied one again (a: depth - 1 levels below spec).
    expect(await readBack('a')).toEqual([depth - 1]);
    // Each patch kind on its own, read back whole: b and c hold depth - 3 levels below spec.
    expect((await api('PATCH', `${collection}/deep-enough`, `[{"op":"add","path":"/spec/b","value":${nested(depth - 3)}}]`, { 'Content-Type': patchTypes.json })).status).toBe(200);
    expect((await api('PATCH', `${collection}/deep-enough`, `{"spec":{"c":${nested(depth - 3)}}}`, { 'Content-Type': patchTypes.merge })).status).toBe(200);
    expect(await readBack('a,b,c')).toEqual([depth - 1, depth - 3, depth - 3]);
    // A second manager applies over the first, sharing the deep fields.
    const other = await api('PATCH', `${collection}/deep-enough?fieldManager=other`, deepObject('deep-enough', depth), { 'Content-Type': patchTypes.apply });
    expect(other.status).toBe(200);

    const list = await api('GET', collection);
    expect(list.status).toBe(200);
    const listed = list.json<{ items: { metadata: { name: string }; spec: { a: unknown } }[] }>().items.find((item) => item.metadata.name === 'deep-enough');
    expect(chainDepth(listed?.spec.a)).toBe(depth - 1);
    const watch = await api('GET', `${collection}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Ddeep-enough`);
    const events = watch.body.trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { spec: { a: unknown } } });
    expect(events.map((event) => [event.type, chainDepth(event.object.spec.a)])).toEqual([['ADDED', depth - 1]]);
    const table = await api('GET', collection, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(table.status).toBe(200);
    expect((await api('GET', '/healthz')).status).toBe(200);
  });

  it('drops unknown fields 10,000 levels deep on a built-in kind on every write path, strategic merge patch included', async () => {
    const configmaps = '/api/v1/namespaces/default/configmaps';
    const bogus = nested(MAX_NESTING_DEPTH - 1); // the deepest a body's top-level field can be
    const sends: [string, () => Promise<RawResponse>][] = [
      ['create', () => api('POST', configmaps, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"unknown-deep"},"data":{"k":"v"},"bogus":${bogus}}`)],
      ['update', () => api('PUT', `${configmaps}/unknown-deep`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"unknown-deep"},"data":{"k":"v"},"bogus":${bogus}}`)],
      ['json patch', () => api('PATCH', `${configmaps}/unknown-deep`, `[{"op":"add","path":"/bogus","value":${nested(MAX_NESTING_DEPTH - 2)}}]`, { 'Content-Type': patchTypes.json })],
      ['merge patch', () => api('PATCH', `${configmaps}/unknown-deep`, `{"data":{"m":"1"},"bogus":${bogus}}`, { 'Content-Type': patchTypes.merge })],
      ['strategic patch', () => api('PATCH', `${configmaps}/unknown-deep`, `{"data":{"s":"1"},"bogus":${bogus}}`, { 'Content-Type': patchTypes.strategic })],
      ['server-side apply', () => api('PATCH', `${configmaps}/unknown-deep?fieldManager=e2e`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"unknown-deep"},"data":{"a":"1"},"bogus":${bogus}}`, { 'Content-Type': patchTypes.apply })],
    ];
    const statuses: string[] = [];
    for (const [what, send] of sends) statuses.push(`${what} ${(await send()).status}`);
    expect(statuses).toEqual(['create 201', 'update 200', 'json patch 200', 'merge patch 200', 'strategic patch 200', 'server-side apply 200']);
    const stored = (await api('GET', `${configmaps}/unknown-deep`)).json<Record<string, unknown>>();
    expect(stored.bogus).toBeUndefined();
    expect(stored.data).toEqual({ k: 'v', m: '1', s: '1', a: '1' });
  });

  it('serves a CRD whose schema is nested as deep as a body may be: create, apply, its custom resources and its OpenAPI', async () => {
    // Each property level is two levels of JSON ({"a":{"type":"object","properties":…}}).
    const levels = (MAX_NESTING_DEPTH - 20) / 2;
    const properties = `${'{"a":{"type":"object","properties":'.repeat(levels)}{}${'}}'.repeat(levels)}`;
    const crd = `{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"deepschemas.deep.example.com"},"spec":{"group":"deep.example.com","scope":"Namespaced","names":{"plural":"deepschemas","kind":"DeepSchema"},"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":${properties}}}}}}]}}`;
    const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
    expect((await api('POST', crds, crd)).status).toBe(201);
    expect((await api('PATCH', `${crds}/deepschemas.deep.example.com?fieldManager=e2e&force=true`, crd, { 'Content-Type': patchTypes.apply })).status).toBe(200);
    const deepschemas = '/apis/deep.example.com/v1/namespaces/default/deepschemas';
    await waitFor(async () => ((await api('GET', deepschemas)).status === 200 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100, description: 'the CRD to be served' });
    // A value following the schema all the way down is validated, pruned and defaulted along it.
    const spec = `${'{"a":'.repeat(levels)}{"unknown":1}${'}'.repeat(levels)}`;
    const created = await api('POST', deepschemas, `{"apiVersion":"deep.example.com/v1","kind":"DeepSchema","metadata":{"name":"follows"},"spec":${spec}}`);
    expect(created.status).toBe(201);
    expect(created.body).toContain(`${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`); // the unknown field pruned at the bottom
    const wrong = await api('POST', deepschemas, `{"apiVersion":"deep.example.com/v1","kind":"DeepSchema","metadata":{"name":"wrong"},"spec":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`);
    expect(wrong.status).toBe(422);
    expect((await api('GET', '/openapi/v3/apis/deep.example.com/v1')).status).toBe(200);
    expect((await api('GET', '/healthz')).status).toBe(200);
  });
});

/** How many `{"a":…}` levels hold the 1 at the bottom, walked without recursion. */
function chainDepth(value: unknown): number {
  let levels = 0;
  let node = value;
  while (node !== null && typeof node === 'object' && 'a' in node) {
    node = (node as { a: unknown }).a;
    levels++;
  }
  return node === 1 ? levels : -1;
}

describe('object size', () => {
  const MiB = 1024 * 1024;
  const TOO_LARGE = { status: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' };
  const refusal = (res: RawResponse) => ({ status: res.status, reason: res.json<{ reason: string }>().reason, message: res.json<{ message: string }>().message });

  it('refuses JSON patches that grow an object past 3 MiB with 413, and every other write path too, leaving it unchanged', async () => {
    // A ConfigMap's data is validated to 1 MiB in all (422, as in Kubernetes): a custom resource
    // keeping unknown fields is the ConfigMap-like object that can grow further.
    expect((await api('POST', collection, deepObject('grows-large', 1))).status).toBe(201);
    const statuses: number[] = [];
    let refused: RawResponse | undefined;
    for (let i = 0; i < 4 && refused === undefined; i++) {
      const res = await api('PATCH', `${collection}/grows-large`, `[{"op":"add","path":"/spec/k${i}","value":"${'x'.repeat(MiB)}"}]`, { 'Content-Type': patchTypes.json });
      statuses.push(res.status);
      if (res.status !== 200) refused = res;
    }
    // Two MiB fit; the third crosses the limit with the object's own bytes.
    expect(statuses).toEqual([200, 200, 413]);
    expect(refusal(refused!)).toEqual(TOO_LARGE);
    const before = (await api('GET', `${collection}/grows-large`)).json<{ metadata: { resourceVersion: string }; spec: Record<string, unknown> }>();
    const growth = `"${'y'.repeat(MiB + 1)}"`;
    const writes: [string, () => Promise<RawResponse>][] = [
      ['merge patch', () => api('PATCH', `${collection}/grows-large`, `{"spec":{"m":${growth}}}`, { 'Content-Type': patchTypes.merge })],
      ['server-side apply', () => api('PATCH', `${collection}/grows-large?fieldManager=e2e`, `{"apiVersion":"deep.example.com/v1","kind":"Deep","metadata":{"name":"grows-large"},"spec":{"s":${growth}}}`, { 'Content-Type': patchTypes.apply })],
    ];
    for (const [what, send] of writes) expect({ what, ...refusal(await send()) }).toEqual({ what, ...TOO_LARGE });
    const after = (await api('GET', `${collection}/grows-large`)).json<{ metadata: { resourceVersion: string }; spec: Record<string, unknown> }>();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(Object.keys(after.spec)).toEqual(['a', 'k0', 'k1']);
    expect((await api('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a strategic merge patch that grows a built-in object past 3 MiB', async () => {
    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    const env = (name: string, bytes: number) => `{"name":"${name}","value":"${'e'.repeat(bytes)}"}`;
    const deployment = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"large"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"large"}},"template":{"metadata":{"labels":{"app":"large"}},"spec":{"containers":[{"name":"c","image":"busybox","env":[${env('A', 2 * MiB)}]}]}}}}`;
    expect((await api('POST', deployments, deployment)).status).toBe(201);
    const res = await api('PATCH', `${deployments}/large`, `{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[${env('B', MiB + 1)}]}]}}}}`, { 'Content-Type': patchTypes.strategic });
    expect(refusal(res)).toEqual(TOO_LARGE);
    const stored = (await api('GET', `${deployments}/large`)).json<{ spec: { template: { spec: { containers: { env: { name: string }[] }[] } } } }>();
    expect(stored.spec.template.spec.containers[0]?.env.map((e) => e.name)).toEqual(['A']);
  });

  it('holds status writes to the same limit', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'sizeds.deep.example.com' },
      spec: {
        group: 'deep.example.com', scope: 'Namespaced', names: { plural: 'sizeds', kind: 'Sized' },
        versions: [{
          name: 'v1', served: true, storage: true, subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        }],
      },
    };
    expect((await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const sizeds = '/apis/deep.example.com/v1/namespaces/default/sizeds';
    await waitFor(async () => ((await api('GET', sizeds)).status === 200 ? true : undefined), { timeoutMs: 20_000, intervalMs: 100, description: 'the CRD to be served' });
    expect((await api('POST', sizeds, `{"apiVersion":"deep.example.com/v1","kind":"Sized","metadata":{"name":"s"},"spec":{"blob":"${'x'.repeat(2 * MiB)}"}}`)).status).toBe(201);
    const res = await api('PATCH', `${sizeds}/s/status`, `{"status":{"blob":"${'x'.repeat(MiB + 1)}"}}`, { 'Content-Type': patchTypes.merge });
    expect(refusal(res)).toEqual(TOO_LARGE);
    const stored = (await api('GET', `${sizeds}/s`)).json<{ status?: unknown }>();
    expect(stored.status).toBeUndefined();
  });
});

describe('JSON patch copies', () => {
  it('refuses copies that double the object each time with 413, and stays up', async () => {
    const created = await api('POST', collection, { apiVersion: 'deep.example.com/v1', kind: 'Deep', metadata: { name: 'doubling' }, spec: { blob: 'x'.repeat(1024) } });
    expect(created.status).toBe(201);
    // Each copy holds every earlier one: 60 of them would need 2^60 KiB.
    const copies = Array.from({ length: 60 }, (_, i) => ({ op: 'copy', from: '/spec', path: `/spec/c${i}` }));
    const res = await api('PATCH', `${collection}/doubling`, JSON.stringify(copies), { 'Content-Type': patchTypes.json });
    expect(res.status).toBe(413);
    expect(res.json<{ message: string }>().message).toBe('Unable to copy, would exceed accumulated copy size limit 3145728');
    expect((await api('GET', '/healthz')).status).toBe(200);
  });
});

describe('query parameters', () => {
  it.each([
    ['list limit', `${collection}?limit=99999999999999999999999`, 'invalid limit "99999999999999999999999": value out of range (at most 9223372036854775807)'],
    ['watch timeoutSeconds', `${collection}?watch=true&timeoutSeconds=99999999999999999999999`, 'value out of range'],
    ['watch resourceVersion', `${collection}?watch=true&resourceVersion=99999999999999999999999`, 'value out of range'],
  ])('answers an out-of-range %s with 400 and no storage error', async (_what, path, message) => {
    const res = await api('GET', path);
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toContain(message);
    expect(res.body).not.toMatch(/SQLITE|datatype mismatch/i);
  });

  it('answers an out-of-range gracePeriodSeconds with 400', async () => {
    expect((await api('POST', collection, deepObject('graceful', 1))).status).toBe(201);
    const res = await api('DELETE', `${collection}/graceful?gracePeriodSeconds=99999999999999999999999`);
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toContain('invalid gracePeriodSeconds');
    expect((await api('GET', `${collection}/graceful`)).status).toBe(200);
  });
});
