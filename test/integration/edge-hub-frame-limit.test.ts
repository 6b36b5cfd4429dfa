import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createEdgeHub, type EdgeHub } from '../../edgecore/edgehub/index.js';
import { EdgeStore } from '../../edgecore/metamanager/index.js';
import { MAX_FRAME_BYTES } from '../../shared/protocol/index.js';
import { eventually } from '../helpers/channel-harness.js';

/**
 * The edge's side of R6 (docs/protocol.md): a frame from the cloud over 4 MiB closes the
 * connection with 1009 and a reason naming the limit, as the cloud's close does, and the edge
 * logs it. The test plays the cloud with a plain websocket server.
 */
let server: WebSocketServer | undefined;
let hub: EdgeHub | undefined;
let store: EdgeStore | undefined;
afterEach(async () => {
  await hub?.stop();
  store?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  hub = undefined;
  store = undefined;
  server = undefined;
});

describe('edgehub and a frame over the limit', () => {
  it('closes with 1009 and a reason naming the limit, and logs it', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 2 * MAX_FRAME_BYTES });
    await new Promise((r) => server!.once('listening', r));
    const closes: { code: number; reason: string }[] = [];
    server.on('connection', (ws) => {
      ws.once('message', () => ws.send(`{"padding":"${'x'.repeat(MAX_FRAME_BYTES)}"}`)); // after the edge's hello
      ws.on('close', (code, reason) => closes.push({ code, reason: reason.toString() }));
    });
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-edge-')), 'edge.db'));
    if (!opened.ok) throw new Error(opened.message);
    store = opened.value;
    hub = createEdgeHub({
      hubUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: async () => ({ caPem: '', certPem: '', keyPem: '' }),
      store,
      logger,
      buildVersion: 'test',
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await hub.start(new AbortController().signal);
    await eventually(() => closes.length > 0 && hub!.state().phase === 'backoff', 10_000, 'the edge to close the connection');
    expect(closes[0]).toEqual({ code: 1009, reason: 'frame larger than the 4194304-byte limit (protocol.md R6)' });
    const state = hub.state();
    expect(state.phase === 'backoff' ? state.reason : '').toBe('CloudHub sent a frame larger than the 4194304-byte limit (protocol.md R6)');
    expect(lines.map((l) => l.msg)).toContain('frame from CloudHub larger than the limit: closing the connection (protocol.md R6)');
  });
});
