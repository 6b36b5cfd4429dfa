import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { resumingDial } from '../../edgecore/edgehub/tls-resumption.js';
import { RETRY_AFTER_MS_HEADER } from '../../shared/protocol/index.js';
import { eventually, startChannelHarness, type ChannelHarness } from '../helpers/channel-harness.js';

/** Resumption and admission at a real CloudHub over real TLS (docs/reconnect-storms.md, protocol.md R46). */
let harness: ChannelHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

type Creds = { caPem: string; certPem: string; keyPem: string };

/** A counter's value from the hub's registry (0 when the series is absent). */
async function counter(h: ChannelHarness, name: string, labels: string): Promise<number> {
  const text = await h.metrics.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/**
 * One raw upgrade with the node's certificate, offering `session`; resolves with how it ended
 * (open, or the HTTP status), the ticket the server sent, whether the client resumed, and the socket.
 */
async function dial(h: ChannelHarness, creds: Creds, session?: Buffer): Promise<{ outcome: string; ticket?: Buffer; resumed: boolean; ws: WebSocket; headers?: Record<string, unknown> }> {
  let ticket: Buffer | undefined;
  let resumed = false;
  const connect = resumingDial(session, (s) => (ticket = s));
  const ws = new WebSocket(h.hubUrl, {
    ca: creds.caPem,
    cert: creds.certPem,
    key: creds.keyPem,
    createConnection: ((options: Parameters<typeof connect>[0]) => {
      const tls = connect(options);
      tls.once('secureConnect', () => (resumed = tls.isSessionReused()));
      return tls;
    }) as unknown as WebSocket.ClientOptions['createConnection'],
  });
  ws.on('error', () => undefined);
  const ended = await new Promise<{ outcome: string; headers?: Record<string, unknown> }>((resolve) => {
    ws.once('open', () => resolve({ outcome: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ outcome: `HTTP ${res.statusCode ?? 0}`, headers: res.headers });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (err) => resolve({ outcome: err.message }));
  });
  // TLS 1.3 tickets arrive after a full handshake: give the server's first one a moment to be read.
  if (ended.outcome === 'open' && session === undefined) await eventually(() => ticket !== undefined, 5000, 'a session ticket');
  return { ...ended, ...(ticket ? { ticket } : {}), resumed, ws };
}

describe('CloudHub TLS session resumption', () => {
  it('an edge that reconnects resumes its TLS session (counted on the hub)', async () => {
    harness = await startChannelHarness();
    const edge = await harness.startEdge('resume-1');
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'first connection');
    expect(await counter(harness, 'outpost_cloudhub_tls_sessions_total', 'resumed="false"')).toBe(1);
    const before = edge.states.length;
    edge.hub.reconnect('test: drop the link');
    await eventually(() => edge.states.slice(before).includes('connected'), 10_000, 'reconnected');
    expect(await counter(harness, 'outpost_cloudhub_tls_sessions_total', 'resumed="true"')).toBe(1);
    expect(harness.hub.connectedNodes()).toEqual(['resume-1']);
  });

  it('a revoked node cannot resume into a session: the resumed TLS session still carries its certificate', async () => {
    let revoked = false;
    harness = await startChannelHarness({ verifyNode: () => !revoked });
    const creds = await harness.nodeCredentials('revoked-1');
    const first = await dial(harness, creds);
    expect(first.outcome).toBe('open');
    first.ws.close();
    expect(first.ticket).toBeDefined();
    // While still accepted, the ticket resumes.
    const second = await dial(harness, creds, first.ticket);
    expect(second).toMatchObject({ outcome: 'open', resumed: true });
    second.ws.close();
    revoked = true;
    const third = await dial(harness, creds, first.ticket);
    // TLS resumed (no new certificate shown), yet the node check refused the upgrade.
    expect(third).toMatchObject({ outcome: 'HTTP 403', resumed: true });
    expect(await counter(harness, 'outpost_cloudhub_tls_sessions_total', 'resumed="true"')).toBe(2);
    expect(await counter(harness, 'outpost_cloudhub_refusals_total', 'reason="Forbidden"')).toBe(1);
    expect(harness.hub.connectedNodes()).toEqual([]);
  });
});

describe('CloudHub handshake admission (protocol.md R46)', () => {
  it('defers upgrades past the bound with a time to come back; the deferred edges return and all connect', async () => {
    harness = await startChannelHarness({ admission: { maxInFlight: 1 } });
    // A node that upgrades and never says hello holds the only handshake slot.
    const holder = await dial(harness, await harness.nodeCredentials('slot-holder'));
    expect(holder.outcome).toBe('open');
    const deferred = await dial(harness, await harness.nodeCredentials('probe'));
    expect(deferred.outcome).toBe('HTTP 503');
    expect(Number(deferred.headers?.[RETRY_AFTER_MS_HEADER])).toBeGreaterThan(0);
    expect(deferred.headers?.['retry-after']).toMatch(/^\d+$/);

    const names = Array.from({ length: 6 }, (_, i) => `storm-${i}`);
    const edges = await Promise.all(names.map((n) => harness!.startEdge(n)));
    await eventually(async () => (await counter(harness!, 'outpost_cloudhub_handshakes_total', 'outcome="deferred"')) >= 1 + names.length, 10_000, 'every edge deferred once');
    expect(harness.hub.connectedNodes()).toEqual(['slot-holder']);
    // The slot comes free: every deferred edge comes back on the time it was given and connects.
    holder.ws.terminate();
    await eventually(() => edges.every((e) => e.hub.state().phase === 'connected'), 15_000, 'all deferred edges connected');
    await eventually(() => harness!.hub.connectedNodes().length === names.length, 5000, 'the holder gone');
    expect(harness.hub.connectedNodes().sort()).toEqual(names);
    expect(edges.every((e) => e.states.includes('backoff'))).toBe(true);
    expect(await counter(harness, 'outpost_cloudhub_handshakes_total', 'outcome="admitted"')).toBeGreaterThanOrEqual(1 + names.length);
    // Each slot is given back once its inventory is answered.
    await eventually(async () => (await harness!.metrics.metrics()).match(/outpost_cloudhub_handshakes_in_flight (\d+)/)?.[1] === '0', 5000, 'no handshake in flight');
  });
});
