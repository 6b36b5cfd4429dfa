import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogsRequest } from '../../shared/protocol/index.js';
import { eventually, startChannelHarness, type ChannelHarness } from '../helpers/channel-harness.js';
import { createObject } from '../../cloudcore/apiserver/index.js';
import { parseRequestInfo } from '../../shared/apimachinery/endpoints/request-info.js';
import { writeError } from '../../shared/apimachinery/endpoints/respond.js';
import type { StreamHandler } from '../../edgecore/edgehub/index.js';
import { createPodLogHandler } from '../../cloudcore/podstreams/index.js';

let harness: ChannelHarness | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await harness?.stop();
  harness = undefined;
});

/** The pods/log handler behind a plain HTTP server, as the API pipeline would call it. */
async function serveLogs(h: ChannelHarness): Promise<string> {
  const handler = createPodLogHandler({ openStream: (node, request) => h.hub.openStream(node, request) });
  const def = h.api.registry.get('', 'v1', 'pods')!;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    handler({ ctx: h.api, req, res, info, def, user: { name: 'admin', groups: ['system:masters'] }, query: url.searchParams }).catch((err: unknown) => writeError(res, err));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/default/pods`;
}

async function pod(h: ChannelHarness, name: string, node: string, containers = ['c']): Promise<void> {
  await createObject(h.api, h.api.registry.get('', 'v1', 'pods')!, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: containers.map((c) => ({ name: c, image: 'busybox' })) } }, { dryRun: false });
}

describe('GET pods/log through the node stream', () => {
  it('streams what the edge sends, with the options kubectl gave, and follows until the client goes', async () => {
    harness = await startChannelHarness();
    const seen: LogsRequest[] = [];
    let cancelled = false;
    const onStreamOpen: StreamHandler = (request, sink) => {
      seen.push(request as LogsRequest);
      sink.signal.addEventListener('abort', () => (cancelled = true));
      void (async () => {
        await sink.write(Buffer.from('first\n'));
        if (request.type !== 'logs' || !request.follow) return sink.end();
        await new Promise((r) => setTimeout(r, 300));
        await sink.write(Buffer.from('second\n'));
      })();
    };
    const edge = await harness.startEdge('n1', { onStreamOpen });
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'connected');
    await pod(harness, 'p', 'n1');
    const base = await serveLogs(harness);

    const plain = await fetch(`${base}/p/log?tailLines=2&timestamps=true&sinceSeconds=60&limitBytes=100`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/plain');
    expect(await plain.text()).toBe('first\n');
    expect(seen[0]).toMatchObject({ type: 'logs', namespace: 'default', name: 'p', container: 'c', follow: false, previous: false, timestamps: true, tailLines: 2, sinceSeconds: 60, limitBytes: 100 });

    const abort = new AbortController();
    const followed = await fetch(`${base}/p/log?follow=true`, { signal: abort.signal });
    const reader = followed.body!.getReader();
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('first\n');
    expect(Buffer.from((await reader.read()).value!).toString()).toBe('second\n');
    abort.abort();
    await eventually(() => cancelled, 10_000, 'the edge side cancelled');
  });

  it('answers at once with Kubernetes\' errors: container choice, offline node, edge refusal', async () => {
    harness = await startChannelHarness();
    const edge = await harness.startEdge('n1', { onStreamOpen: (_r, sink) => sink.end({ code: 'BadRequest', message: 'previous terminated container "a" in pod "two" not found' }) });
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'connected');
    await pod(harness, 'two', 'n1', ['a', 'b']);
    await pod(harness, 'away', 'n9');
    const base = await serveLogs(harness);
    const status = async (path: string) => {
      const res = await fetch(`${base}/${path}`);
      return { code: res.status, ...((await res.json()) as { message: string; reason: string }) };
    };
    expect(await status('two/log')).toMatchObject({ code: 400, message: 'a container name must be specified for pod two, choose one of: [a b]' });
    expect(await status('two/log?container=zz')).toMatchObject({ code: 400, message: 'container zz is not valid for pod two' });
    expect(await status('two/log?container=a&previous=true')).toMatchObject({ code: 400, message: 'previous terminated container "a" in pod "two" not found' });
    expect(await status('nothere/log')).toMatchObject({ code: 404, reason: 'NotFound' });
    expect(await status('two/log?container=a&tailLines=-1')).toMatchObject({ code: 400 });
    const offline = await status('away/log');
    expect(offline).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    expect(offline.message).toBe('cannot read the logs of pod default/away: node "n9" is not connected');

  });

  it('says so when the edge serves no streams', async () => {
    harness = await startChannelHarness();
    const edge = await harness.startEdge('n1');
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'connected');
    await pod(harness, 'p', 'n1');
    const res = await fetch(`${await serveLogs(harness)}/p/log`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toBe('this edge serves no streams');
  });
});
