import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../../../shared/apimachinery/endpoints/request-info.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import type { ApiContext, ResourceRequest } from './context.js';
import { createObject } from './create.js';
import { createPodEphemeralContainersHandler, type EphemeralContainersOptions } from './pod-ephemeral-containers.js';

const PATH = '/api/v1/namespaces/default/pods/web/ephemeralcontainers';

/** Runs the handler on one request; answers the status and the JSON body it wrote. */
async function call(ctx: ApiContext, options: EphemeralContainersOptions, method: string, body?: unknown, contentType = 'application/strategic-merge-patch+json'): Promise<{ code: number; body: Record<string, unknown> }> {
  const req = new PassThrough();
  Object.assign(req, { method, headers: { 'content-type': contentType } });
  req.end(body === undefined ? '' : JSON.stringify(body));
  let code = 0;
  let text = '';
  const res = { writeHead: (c: number) => (code = c), end: (t: string) => (text = t), getHeader: () => undefined } as unknown as ServerResponse;
  const info = parseRequestInfo(method, PATH, new URLSearchParams());
  const def = ctx.registry.get('', 'v1', 'pods');
  if (def === undefined) throw new Error('no pods');
  const r: ResourceRequest = { ctx, req: req as unknown as IncomingMessage, res, info, def, user: { name: 'admin', groups: ['system:masters'] }, query: new URLSearchParams() };
  try {
    await createPodEphemeralContainersHandler(options)(r);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.code, body: err.status as unknown as Record<string, unknown> };
  }
  return { code, body: JSON.parse(text) as Record<string, unknown> };
}

async function withPod(node = 'edge-1'): Promise<ApiContext> {
  const ctx = await memoryApiContext();
  const def = ctx.registry.get('', 'v1', 'pods');
  if (def === undefined) throw new Error('no pods');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox:1' }] } };
  await createObject(ctx, def, pod as unknown as KubeObject, { dryRun: false });
  return ctx;
}

const debuggerPatch = { spec: { ephemeralContainers: [{ name: 'debugger-1', image: 'busybox:1', targetContainerName: 'app', stdin: true, tty: true, resources: {} }] } };
const ephemeralOf = (body: Record<string, unknown>) => (body.spec as { ephemeralContainers?: Array<Record<string, unknown>> }).ephemeralContainers;

describe('pods/ephemeralcontainers', () => {
  it('a strategic-merge PATCH adds one (defaulted) and answers the Pod; GET answers the Pod too', async () => {
    const ctx = await withPod();
    const patched = await call(ctx, {}, 'PATCH', debuggerPatch);
    expect(patched.code).toBe(200);
    expect(ephemeralOf(patched.body)).toEqual([expect.objectContaining({ name: 'debugger-1', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' })]);
    const read = await call(ctx, {}, 'GET');
    expect(read.body).toMatchObject({ kind: 'Pod', metadata: { name: 'web' } });
    expect(ephemeralOf(read.body)).toHaveLength(1);
  });

  it('takes only the ephemeral containers from a PUT: the rest of the body is ignored', async () => {
    const ctx = await withPod();
    const current = (await call(ctx, {}, 'GET')).body as KubeObject;
    const body = { ...current, metadata: { ...current.metadata, labels: { sneaky: 'yes' } }, spec: { ...(current.spec as object), activeDeadlineSeconds: 5, ephemeralContainers: debuggerPatch.spec.ephemeralContainers } };
    const put = await call(ctx, {}, 'PUT', body, 'application/json');
    expect(put.code).toBe(200);
    expect(ephemeralOf(put.body)).toHaveLength(1);
    expect(put.body.metadata).not.toHaveProperty('labels');
    expect(put.body.spec).not.toHaveProperty('activeDeadlineSeconds');
  });

  it('refuses a node whose edge said protocol 1.5, naming it; accepts a 1.6 edge and a node not connected here (R47)', async () => {
    const refused = await call(await withPod(), { nodeProtocol: () => '1.5' }, 'PATCH', debuggerPatch);
    expect(refused.code).toBe(422);
    expect(refused.body.message).toContain('spec.ephemeralContainers: Forbidden: node "edge-1" runs an edge that speaks protocol 1.5, which does not run ephemeral containers');
    expect((await call(await withPod(), { nodeProtocol: () => '1.6' }, 'PATCH', debuggerPatch)).code).toBe(200);
    expect((await call(await withPod(), { nodeProtocol: () => undefined }, 'PATCH', debuggerPatch)).code).toBe(200);
  });

  it('a missing pod is that pod\'s 404; an apply patch is 415', async () => {
    const ctx = await memoryApiContext();
    const missing = await call(ctx, {}, 'PATCH', debuggerPatch);
    expect(missing).toMatchObject({ code: 404, body: { message: 'pods "web" not found' } });
    expect((await call(await withPod(), {}, 'PATCH', debuggerPatch, 'application/apply-patch+yaml')).code).toBe(415);
  });
});
