import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCriClient, type CriClient } from './index.js';
import { startFakeCriServer, type FakeCriServer } from '../../../test/helpers/fake-cri-server.js';

let dir: string;
const servers: FakeCriServer[] = [];
const clients: CriClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cri-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function fakeRuntime(): Promise<FakeCriServer> {
  const server = await startFakeCriServer(dir);
  servers.push(server);
  server.script('Version', () => ({ version: '0.1.0', runtimeName: 'fake', runtimeVersion: '1', runtimeApiVersion: 'v1' }));
  return server;
}

function clientOf(endpoint: string, timeoutMs?: number): CriClient {
  const client = createCriClient({ endpoint, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  clients.push(client);
  return client;
}

const never = (): Promise<never> => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('deadlines', () => {
  it('gives each RPC its deadline: 30 s by default, 2 min for PullImage, timeout + 30 s for StopContainer and ExecSync', async () => {
    const server = await fakeRuntime();
    server.script('PullImage', () => ({ imageRef: 'sha256:1' }));
    server.script('StopContainer', () => ({}));
    server.script('ExecSync', () => ({ exitCode: 0 }));
    const client = clientOf(server.endpoint);
    await client.version();
    await client.pullImage('outpost.local/busybox:1');
    await client.stopContainer('c1', 60);
    await client.execSync('c1', ['true'], 45);
    const deadline = (rpc: string): number => server.calls.find((call) => call.rpc === rpc)?.deadlineInMs ?? Number.NaN;
    expect(deadline('Version')).toBeGreaterThan(20_000);
    expect(deadline('Version')).toBeLessThanOrEqual(30_000);
    expect(deadline('PullImage')).toBeGreaterThan(100_000);
    expect(deadline('PullImage')).toBeLessThanOrEqual(120_000);
    expect(deadline('StopContainer')).toBeGreaterThan(80_000);
    expect(deadline('StopContainer')).toBeLessThanOrEqual(90_000);
    expect(deadline('ExecSync')).toBeGreaterThan(65_000);
    expect(deadline('ExecSync')).toBeLessThanOrEqual(75_000);
  });

  it('fails a call the runtime does not answer in time with Unavailable, naming the RPC', async () => {
    const server = await fakeRuntime();
    server.script('StartContainer', never);
    const result = await clientOf(server.endpoint, 300).startContainer('c1');
    expect(result).toMatchObject({ ok: false, code: 'Unavailable' });
    expect(!result.ok && result.message).toContain('RuntimeService/StartContainer: no answer from the container runtime');
    expect(!result.ok && result.message).toContain('within 300 ms');
  });

  it('lets StopContainer outlive the ordinary deadline by its own timeout', async () => {
    const server = await fakeRuntime();
    server.script('StopContainer', () => after(600, {}));
    server.script('StartContainer', () => after(600, {}));
    const client = clientOf(server.endpoint, 300);
    expect(await client.stopContainer('c1', 2)).toEqual({ ok: true, value: undefined });
    expect(await client.startContainer('c1')).toMatchObject({ ok: false, code: 'Unavailable' });
  });
});

describe('connection', () => {
  it('fails with Unavailable when nothing listens on the socket', async () => {
    const result = await clientOf(`unix://${join(dir, 'absent.sock')}`, 2_000).version();
    expect(result).toMatchObject({ ok: false, code: 'Unavailable', message: expect.stringContaining('absent.sock') });
  });

  it('waitReady retries Version until a runtime starts listening', async () => {
    const client = clientOf(`unix://${join(dir, 'cri.sock')}`, 2_000);
    const waiting = client.waitReady(new AbortController().signal, 20_000);
    await after(400, undefined);
    await fakeRuntime();
    expect(await waiting).toMatchObject({ ok: true, value: { runtimeName: 'fake' } });
  });

  it('waitReady gives up after its timeout, or when aborted, with Unavailable', async () => {
    const client = clientOf(`unix://${join(dir, 'absent.sock')}`, 2_000);
    const timedOut = await client.waitReady(new AbortController().signal, 300);
    expect(timedOut).toMatchObject({ ok: false, code: 'Unavailable', message: expect.stringContaining('did not answer within 300 ms') });
    const abort = new AbortController();
    const waiting = client.waitReady(abort.signal, 60_000);
    setTimeout(() => abort.abort(), 100);
    expect(await waiting).toMatchObject({ ok: false, code: 'Unavailable', message: expect.stringContaining('cancelled') });
  });

  it('waitReady returns at once when the runtime answers with an error', async () => {
    const server = await startFakeCriServer(dir);
    servers.push(server);
    const result = await clientOf(server.endpoint).waitReady(new AbortController().signal, 60_000);
    expect(result).toMatchObject({ ok: false, code: 'Internal', message: expect.stringContaining('Version') });
  });

  it('answers Unavailable after close, and close is idempotent', async () => {
    const server = await fakeRuntime();
    const client = clientOf(server.endpoint);
    expect((await client.version()).ok).toBe(true);
    client.close();
    client.close();
    expect(await client.version()).toMatchObject({ ok: false, code: 'Unavailable', message: expect.stringContaining('closed') });
  });
});
