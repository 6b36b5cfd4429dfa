/** The HTTP and TCP checks against real local sockets, and the hook runner's outcomes. */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHook } from './hook-runner.js';
import { parseHook, type HookHandler } from './probe-spec.js';
import { realRunners, runCheck } from './run-check.js';

let server: Server;
let port = 0;
const seen: { url: string; headers: Record<string, string | string[] | undefined> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/ok') return res.end('fine');
    if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/elsewhere') return res.writeHead(302, { location: 'http://127.0.0.2:1/x' }).end('bye');
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3_000);
    res.writeHead(500).end('broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const runners = realRunners(async () => ({ ok: true, value: { stdout: '', stderr: '', exitCode: 0 } }));
const target = () => ({ containerId: 'c1', podIP: '127.0.0.1', ports: [{ name: 'http', containerPort: port }] });
const http = (path: string, extra: Record<string, unknown> = {}) => ({ kind: 'httpGet' as const, scheme: 'HTTP' as const, host: undefined, port: 'http', path, headers: [], ...extra });

describe('httpGet checks', () => {
  it('succeeds on 2xx, by port name, with kubelet\'s headers', async () => {
    expect(await runCheck(runners, http('/ok', { headers: [{ name: 'X-Probe', value: 'yes' }] }), target(), 1)).toEqual({ result: 'success', output: 'fine' });
    const last = seen.at(-1);
    expect(last?.headers['user-agent']).toBe('kube-probe/1.32');
    expect(last?.headers.accept).toBe('*/*');
    expect(last?.headers['x-probe']).toBe('yes');
  });

  it('follows a redirect on the same host, and stops at one to another host with a warning', async () => {
    expect((await runCheck(runners, http('/moved'), target(), 1)).result).toBe('success');
    expect(await runCheck(runners, http('/elsewhere'), target(), 1)).toEqual({ result: 'warning', output: 'Probe terminated redirects, Response body: bye' });
  });

  it('fails on 4xx/5xx, on a refused connection and on a timeout, in kubelet\'s words', async () => {
    expect(await runCheck(runners, http('/nope'), target(), 1)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runCheck(runners, http('/ok', { port: closedPort }), target(), 1);
    expect(refused).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${closedPort}/ok": dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
    const slow = await runCheck(runners, http('/slow'), target(), 1);
    expect(slow.result).toBe('failure');
    expect(slow.result === 'failure' && slow.output).toContain('Client.Timeout exceeded');
  });

  it('errors on a port name the container does not have', async () => {
    expect((await runCheck(runners, http('/ok', { port: 'metrics' }), target(), 1)).result).toBe('error');
  });
});

describe('tcpSocket checks', () => {
  it('succeeds when the port accepts, fails when it refuses', async () => {
    expect((await runCheck(runners, { kind: 'tcpSocket', host: undefined, port: port }, target(), 1)).result).toBe('success');
    const refused = await runCheck(runners, { kind: 'tcpSocket', host: undefined, port: 1 }, target(), 1);
    expect(refused).toEqual({ result: 'failure', output: 'dial tcp 127.0.0.1:1: connect: connection refused' });
  });
});

describe('lifecycle hooks', () => {
  const hook = (raw: unknown): HookHandler => {
    const parsed = parseHook(raw);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value;
  };

  it('an exec hook fails on a non-zero exit; an HTTP hook that got any answer ran', async () => {
    const failing = realRunners(async () => ({ ok: true, value: { stdout: 'oops', stderr: '', exitCode: 2 } }));
    expect(await runHook(failing, hook({ exec: { command: ['false'] } }), target(), 5_000)).toEqual({ result: 'failed', message: "command 'false' exited with a non-zero code: oops" });
    expect(await runHook(runners, hook({ httpGet: { port: 'http', path: '/nope' } }), target(), 5_000)).toEqual({ result: 'done' });
  });

  it('is bounded by its limit (the grace period), and asks ExecSync for the same bound', async () => {
    let timeoutAsked = 0;
    const stuck = realRunners((_id, _cmd, timeoutSeconds) => {
      timeoutAsked = timeoutSeconds;
      return new Promise(() => undefined);
    });
    expect(await runHook(stuck, hook({ exec: { command: ['sleep', '100'] } }), target(), 300)).toEqual({ result: 'timed-out' });
    expect(timeoutAsked).toBe(1);
    expect(await runHook(runners, hook({ sleep: { seconds: 30 } }), target(), 50)).toEqual({ result: 'timed-out' });
  });

  it('does not run tcpSocket hooks (kubelet: invalid handler)', async () => {
    expect((await runHook(runners, hook({ tcpSocket: { port: 80 } }), target(), 1_000)).result).toBe('failed');
  });
});

describe('grpc checks', () => {
  it('asks grpc.health.v1.Health/Check and succeeds only on SERVING', async () => {
    const { Server, ServerCredentials } = await import('@grpc/grpc-js');
    const grpcServer = new Server();
    const asked: string[] = [];
    const answers: Record<string, number> = { '': 1, sick: 2 };
    grpcServer.addService(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check', requestStream: false, responseStream: false,
          requestSerialize: (v: Buffer) => v, requestDeserialize: (b: Buffer) => b,
          responseSerialize: (status: number) => Buffer.from([0x08, status]), responseDeserialize: (b: Buffer) => b,
        },
      },
      {
        Check: (call: { request: Buffer }, callback: (err: null, status: number) => void) => {
          const service = call.request.length > 2 ? call.request.subarray(2).toString('utf8') : '';
          asked.push(service);
          callback(null, answers[service] ?? 3);
        },
      },
    );
    const grpcPort = await new Promise<number>((resolve, reject) => grpcServer.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    try {
      const check = (service?: string) => runCheck(runners, { kind: 'grpc', port: grpcPort, service }, target(), 2);
      expect(await check()).toEqual({ result: 'success', output: 'service healthy' });
      expect(await check('sick')).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
      expect(asked).toEqual(['', 'sick']);
    } finally {
      grpcServer.forceShutdown();
    }
  });
});
