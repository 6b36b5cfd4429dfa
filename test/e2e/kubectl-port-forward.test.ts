/**
 * `kubectl port-forward` end to end (docs/kubectl.md § port-forward, docs/protocol.md R44): one
 * cloudcore, one edgecore with its own containerd, a busybox httpd pod, and real kubectl 1.32
 * (SPDY tunnelled in a websocket), 1.27 and 1.29 (plain SPDY/3.1); the websocket channel protocol
 * kubelet also serves, spoken by hand; and an offline node, last.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readKubeconfig } from '../helpers/api-client.js';
import { waitFor } from '../helpers/edge-process.js';
import { startEdgedSetup, waitForPod, webPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { createKubectl } from '../helpers/kubectl.js';
import { waitFor as poll } from '../helpers/poll.js';

let setup: EdgedSetup;
let bigSha = '';
const children: ChildProcess[] = [];

const running = (p: { status?: { containerStatuses?: Array<{ ready: boolean }> } }) => (p.status?.containerStatuses ?? []).some((c) => c.ready);

beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'pf-1' });
  // 1 MiB of random bytes next to a small page, served by busybox httpd on 8080; an echo server
  // (cat behind nc, until the client's half-close) on 9000.
  const command = ['sh', '-c', 'mkdir -p /www && echo "hello from $POD_NAME" > /www/index.html && head -c 1048576 /dev/urandom > /www/big.bin && (nc -ll -p 9000 -e cat &) && exec httpd -f -p 8080 -h /www'];
  const pod = webPod('web', setup.node, { command });
  (pod.spec as { containers: Array<Record<string, unknown>> }).containers[0]!.readinessProbe = { tcpSocket: { port: 8080 }, periodSeconds: 1 };
  const res = await setup.api('POST', '/api/v1/namespaces/default/pods', pod);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.body}`);
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
  const created = await setup.api('POST', '/api/v1/namespaces/default/services', service);
  if (created.status !== 201) throw new Error(`service create failed: ${created.status} ${created.body}`);
  await waitForPod(setup, 'web', running, 120_000);
  bigSha = (await setup.kubectl.ok(['exec', 'web', '--', 'sha256sum', '/www/big.bin'])).split(' ')[0] ?? '';
}, 240_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await setup?.stop();
}, 180_000);

interface Forward {
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `kubectl port-forward pod/web :<remote>` and waits for the local port it printed. */
async function forward(version: string, remote: number, flags: string[] = [], target = 'pod/web'): Promise<Forward> {
  const child = createKubectl(setup.cloud.kubeconfig, version).spawn(['port-forward', ...flags, target, `:${remote}`]);
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await poll(() => /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/.exec(stdout), { timeoutMs: 30_000, description: () => `kubectl ${version} port-forward printed:\n${stdout}\n${stderr}` });
  return { port: Number(line[1]), stderr: () => stderr, exited };
}

/** One HTTP GET on its own connection: the status and the exact body bytes. */
function get(port: number, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Sends `data`, half-closes, and collects what comes back until the other side closes. */
function echo(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(data));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

describe('kubectl 1.32 (SPDY tunnelled in a websocket)', () => {
  it('serves several requests from the pod, and a 1 MiB body byte-exact', async () => {
    // -v=6 logs the upgrade's answer, and (from -v=4) a fallback to plain SPDY, which must not happen.
    const pf = await forward('1.32', 8080, ['-v=6']);
    const pages = await Promise.all([1, 2, 3].map(() => get(pf.port, '/index.html')));
    for (const page of pages) expect({ status: page.status, body: page.body.toString() }).toEqual({ status: 200, body: 'hello from web\n' });
    const big = await get(pf.port, '/big.bin');
    expect(big.status).toBe(200);
    expect(big.body.length).toBe(1048576);
    expect(sha256(big.body)).toBe(bigSha);
    // And again on the same forward, after the big one.
    expect((await get(pf.port, '/index.html')).body.toString()).toBe('hello from web\n');
    expect(pf.stderr()).toMatch(/GET https:\/\/\S+\/api\/v1\/namespaces\/default\/pods\/web\/portforward 101 Switching Protocols/);
    expect(pf.stderr()).not.toContain('fallback to secondary dialer');
    expect(pf.stderr()).not.toMatch(/^E\d{4}/m);
  });

  it('carries 1 MiB up and back byte-exact, past the stream window both ways, and the half-close', async () => {
    const pf = await forward('1.32', 9000);
    const data = randomBytes(1024 * 1024);
    const [a, b] = await Promise.all([echo(pf.port, data), echo(pf.port, data.subarray(0, 100_000))]);
    expect(a.length).toBe(data.length);
    expect(a.equals(data)).toBe(true);
    expect(b.equals(data.subarray(0, 100_000))).toBe(true);
  });

  it('forwards to a Service: kubectl picks its pod and the target port', async () => {
    const pf = await forward('1.32', 80, [], 'svc/web');
    expect((await get(pf.port, '/index.html')).body.toString()).toBe('hello from web\n');
  });

  it("a port nothing listens on gives kubelet's error through kubectl, and the next forward works", async () => {
    const pf = await forward('1.32', 9999);
    await expect(get(pf.port, '/')).rejects.toThrow();
    await waitFor(() => pf.stderr().includes('connection refused'), 30_000, () => `kubectl printed:\n${pf.stderr()}`);
    expect(pf.stderr()).toContain(`an error occurred forwarding ${pf.port} -> 9999: error forwarding port 9999 to pod default/web, uid `);
    expect(pf.stderr()).toContain('connect: connection refused');
    // kubectl ends its forward on such an error, as with any cluster; the node's streams do not.
    const again = await forward('1.32', 8080);
    expect((await get(again.port, '/index.html')).body.toString()).toBe('hello from web\n');
  });
});

describe.each(['1.27', '1.29'])('kubectl %s (SPDY/3.1)', (version) => {
  it('serves a request from the pod, and the 1 MiB body byte-exact', async () => {
    const pf = await forward(version, 8080);
    expect((await get(pf.port, '/index.html')).body.toString()).toBe('hello from web\n');
    const big = await get(pf.port, '/big.bin');
    expect(sha256(big.body)).toBe(bigSha);
  });
});

describe('the websocket channel protocol (v4.channel.k8s.io, as kubelet serves it)', () => {
  it('prefixes each channel with its port; a refused port reports on its error channel while the other one serves', async () => {
    const { server, ca, cert, key } = readKubeconfig(setup.cloud.kubeconfig);
    const url = `${server.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/portforward?ports=9999&ports=8080`;
    const ws = new WebSocket(url, ['v4.channel.k8s.io'], { ca, cert, key });
    const channels = new Map<number, Buffer>();
    ws.on('message', (raw: Buffer) => channels.set(raw[0] ?? -1, Buffer.concat([channels.get(raw[0] ?? -1) ?? Buffer.alloc(0), raw.subarray(1)])));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    ws.send(Buffer.concat([Buffer.from([2]), Buffer.from('GET /index.html HTTP/1.0\r\n\r\n')]));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await closed;
    const le = (port: number) => Buffer.from([port & 0xff, port >> 8]);
    // Port 9999 (channels 0, 1): its prefix, then the error; port 8080 (channels 2, 3): the page.
    expect(channels.get(0)).toEqual(le(9999));
    expect(channels.get(1)?.subarray(0, 2)).toEqual(le(9999));
    expect(channels.get(1)?.subarray(2).toString()).toMatch(/^error forwarding port 9999 to pod default\/web, uid .*: dial tcp .*:9999: connect: connection refused$/);
    expect(channels.get(2)?.subarray(0, 2)).toEqual(le(8080));
    expect(channels.get(2)?.subarray(2).toString()).toMatch(/^HTTP\/1\.[01] 200 OK\r\n[\s\S]*\r\n\r\nhello from web\n$/);
    expect(channels.get(3)).toEqual(le(8080));
  });
});

describe('the upgrade before the switch', () => {
  const path = '/api/v1/namespaces/default/pods/web/portforward';

  it('serves portforward.k8s.io over SPDY only, refusing other versions as httpstream does', async () => {
    const res = await setup.api('POST', path, undefined, { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
    expect(res.status).toBe(403);
    expect(res.body).toBe('unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io], server supports [portforward.k8s.io]');
  });

  it('refuses an upgrade to neither websocket nor SPDY, and a websocket channel port-forward without ports', async () => {
    const h2c = await setup.api('POST', path, undefined, { Connection: 'Upgrade', Upgrade: 'h2c' });
    expect(h2c.status).toBe(400);
    expect(h2c.body).toContain('port-forward upgrades to websocket or SPDY/3.1 only');
    const { server, ca, cert, key } = readKubeconfig(setup.cloud.kubeconfig);
    const ws = new WebSocket(`${server.replace('https', 'wss')}${path}`, ['v4.channel.k8s.io'], { ca, cert, key });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).once('open', () => resolve(101)));
    expect(status).toBe(400);
  });

  it('answers 404 for a pod that does not exist', async () => {
    const result = await setup.kubectl(['port-forward', 'pod/nosuch', ':80'], { timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('pods "nosuch" not found');
  });
});

describe('an offline node', () => {
  it('fails at once, naming the node', async () => {
    await setup.edge.stop('SIGKILL');
    await waitFor(async () => /outpost_cloudhub_connected_nodes 0\b/.test((await setup.api('GET', '/metrics')).body), 30_000, () => 'the cloud still counts the node as connected');
    const result = await setup.kubectl(['port-forward', 'pod/web', ':8080'], { timeoutMs: 20_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('cannot port-forward to pod default/web: node "pf-1" is not connected');
  });
});
