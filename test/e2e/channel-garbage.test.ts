import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { issueCertificate } from '../../certs/index.js';
import { encodeFrame, PROTOCOL_VERSION } from '../../shared/protocol/index.js';
import { readEdgeInventory } from '../helpers/edge-process.js';
import { waitFor } from '../helpers/poll.js';
import { readClusterCa } from '../helpers/cluster-ca.js';
import { hubPortOf, podManifest, runConcurrently, startChannel, testSeed, waitConverged, waitEdgeConnected, type ChannelSetup } from '../helpers/channel-e2e.js';

let setup: ChannelSetup | undefined;
let fakeHub: Server | undefined;
afterEach(async () => {
  fakeHub?.closeAllConnections();
  fakeHub?.close();
  fakeHub = undefined;
  await setup?.stop();
  setup = undefined;
});

async function cloudCa(dataDir: string) {
  return readClusterCa(dataDir);
}

/** Text frames that are not valid envelopes: random, truncated, wrong shapes. */
function garbageFrames(random: () => number, count: number): string[] {
  const valid = encodeFrame({ source: 'edgehub', target: 'cloudhub', resource: 'pods', operation: 'ack' }, { kind: 'ack', items: [{ uid: 'u', resourceVersion: '1' }] });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pick = Math.floor(random() * 5);
    if (pick === 0) out.push(randomBytes(1 + Math.floor(random() * 200)).toString('latin1'));
    else if (pick === 1) out.push(valid.slice(0, Math.floor(random() * valid.length)));
    else if (pick === 2) out.push(JSON.stringify({ id: 'x', timestamp: -1, route: {}, content: { kind: 'upsert', object: { metadata: {} } } }));
    else if (pick === 3) out.push(JSON.stringify([1, 2, { __proto__: { polluted: true } }]));
    else out.push('{"content":{"kind":"upsert","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"evil","uid":"evil","resourceVersion":"99"}}}}');
  }
  return out;
}

async function makePods(s: ChannelSetup, count: number): Promise<void> {
  const failed = await runConcurrently(
    Array.from({ length: count }, (_, i) => async () => {
      const res = await s.api('POST', '/api/v1/namespaces/default/pods', podManifest(`g-${i}`, s.node));
      if (res.status !== 201) throw new Error(`create: ${res.status}`);
    }),
  );
  expect(failed).toBe(0);
}

describe('channel: garbage input never crashes either end nor corrupts its data', () => {
  it('CloudHub survives random, truncated, flooding and oversized frames and raw TLS garbage', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    await makePods(s, 50);
    const before = await waitConverged(s);

    const ca = await cloudCa(s.cloud.dataDir);
    const cert = await issueCertificate({ ca, subject: { commonName: 'system:node:intruder', organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
    if (!cert.ok) throw new Error(cert.message);
    const url = `wss://127.0.0.1:${hubPortOf(s.cloud)}`;
    const open = async (): Promise<WebSocket> => {
      const ws = new WebSocket(url, { ca: ca.certPem, cert: cert.value.certPem, key: cert.value.keyPem });
      ws.on('error', () => undefined);
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      return ws;
    };
    // Before the handshake, after the handshake, flooding, then one frame above 4 MiB.
    const early = await open();
    early.send(randomBytes(1000));
    early.close();
    const ws = await open();
    ws.send(encodeFrame({ source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' }, { kind: 'hello', protocolVersion: PROTOCOL_VERSION, buildVersion: 'garbage' }));
    // A flood of invalid frames spends the session's protocol-error budget: it is closed (R34).
    const flooded = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    for (const frame of garbageFrames(s.proxy.random, 20_000)) ws.send(frame);
    for (let i = 0; i < 200; i++) ws.send(randomBytes(512));
    expect(await flooded).toMatchObject({ code: 4004, reason: expect.stringMatching(/invalid frames within .*R34/) });
    // One frame above 4 MiB closes its session with 1009 and a reason naming the limit (R6).
    const big = await open();
    big.send(encodeFrame({ source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' }, { kind: 'hello', protocolVersion: PROTOCOL_VERSION, buildVersion: 'garbage' }));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => big.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    big.send('x'.repeat(5 * 1024 * 1024));
    expect(await closed).toEqual({ code: 1009, reason: 'frame larger than the 4194304-byte limit (protocol.md R6)' });
    // Raw bytes on the TLS port, with and without a handshake.
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: hubPortOf(s.cloud), rejectUnauthorized: false });
        socket.on('error', () => resolve());
        socket.on('secureConnect', () => socket.end(randomBytes(2048)));
        socket.on('close', () => resolve());
      });
    }

    expect(s.cloud.child.exitCode).toBeNull();
    expect((await s.api('GET', '/readyz')).status).toBe(200);
    const after = await waitConverged(s);
    expect(after).toEqual(before);
    const metrics = await s.api('GET', '/metrics');
    expect(metrics.body).toMatch(/outpost_cloudhub_invalid_frames_total\{reason="too-large"\} 1/);
  });

  it('edgecore survives garbage from a hostile hub and keeps its data intact', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    await makePods(s, 50);
    const before = await waitConverged(s);

    const ca = await cloudCa(s.cloud.dataDir);
    const serving = await issueCertificate({ ca, subject: { commonName: 'fake-hub' }, usages: 'server', ipAddresses: ['127.0.0.1'], lifetimeDays: 1 });
    if (!serving.ok) throw new Error(serving.message);
    fakeHub = createServer({ cert: serving.value.certPem, key: serving.value.keyPem });
    const wss = new WebSocketServer({ server: fakeHub });
    let served = 0;
    let closedByEdge = 0;
    wss.on('connection', (ws) => {
      ws.on('error', () => undefined);
      ws.on('close', () => closedByEdge++);
      ws.once('message', () => {
        served++;
        ws.send(encodeFrame({ source: 'cloudhub', target: 'edgehub', resource: 'session', operation: 'handshake' }, { kind: 'welcome', protocolVersion: '1.1', buildVersion: 'fake', nodeName: s.node }));
        for (const frame of garbageFrames(s.proxy.random, 20_000)) ws.send(frame);
        for (let i = 0; i < 200; i++) ws.send(randomBytes(512));
        ws.send('y'.repeat(5 * 1024 * 1024));
      });
    });
    await new Promise<void>((resolve) => fakeHub?.listen(0, '127.0.0.1', () => resolve()));
    s.proxy.setTarget((fakeHub.address() as AddressInfo).port);
    s.proxy.dropAll();
    await waitFor(() => served >= 1 && closedByEdge >= 1, { timeoutMs: 60_000, intervalMs: 200, description: 'the edge to reach the hostile hub and close its session' });

    expect(s.edge.child.exitCode).toBeNull();
    expect(readEdgeInventory(s.edge.dbFile)).toEqual(before);
    s.proxy.setTarget(hubPortOf(s.cloud));
    s.proxy.dropAll();
    await waitEdgeConnected(s);
    expect(await waitConverged(s)).toEqual(before);
  });
});
