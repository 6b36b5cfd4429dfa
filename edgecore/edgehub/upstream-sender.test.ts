import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeStore, type OutboxRow } from '../metamanager/index.js';
import { UpstreamSender } from './upstream-sender.js';

function setup() {
  const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-sender-')), 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  const store = opened.value;
  let now = 0;
  const sent: OutboxRow[] = [];
  const sender = new UpstreamSender(store, { maxInFlight: 10, resultTimeoutMs: 1000, now: () => now, send: (row) => (sent.push(row), true), random: () => 0.5 });
  const report = (name: string, message: string) => store.reportPodStatus({ namespace: 'default', name, uid: `uid-${name}` }, { message });
  return { store, sender, sent, report, advance: (ms: number) => (now += ms) };
}

describe('UpstreamSender (protocol.md R14–R15)', () => {
  it('keeps one message per object in flight; a report coalesced meanwhile survives the ack and goes next', () => {
    const { store, sender, sent, report } = setup();
    const first = report('a', 'one');
    report('b', 'x');
    sender.pump();
    expect(sent.map((r) => r.key)).toEqual(['podStatus/default/a', 'podStatus/default/b']);
    const second = report('a', 'two');
    sender.pump();
    expect(sent).toHaveLength(2); // a is still in flight
    sender.onResult(first, 'ack');
    expect(sent.at(-1)).toMatchObject({ seq: second, payload: { status: { message: 'two' } } });
    sender.onResult(second, 'ack');
    expect(store.outbox.size).toBe(1);
  });

  it('a reject drops the row and is counted; a retry keeps it and waits before resending', () => {
    const { store, sender, sent, report, advance } = setup();
    const a = report('a', 'one');
    const b = report('b', 'one');
    sender.pump();
    sender.onResult(a, 'reject');
    sender.onResult(b, 'retry');
    expect(sender.counters).toMatchObject({ rejected: 1, retried: 1 });
    expect(store.outbox.pending(10).map((r) => r.key)).toEqual(['podStatus/default/b']);
    expect(sent).toHaveLength(2);
    advance(10_000);
    sender.pump();
    expect(sent.map((r) => r.seq)).toEqual([a, b, b]);
  });

  it('resends after the result timeout and after a reconnect; late duplicate answers are ignored', () => {
    const { sender, sent, report, advance } = setup();
    const a = report('a', 'one');
    sender.pump();
    advance(1500);
    sender.tick();
    expect(sent.map((r) => r.seq)).toEqual([a, a]);
    sender.reset();
    sender.pump();
    expect(sent).toHaveLength(3);
    sender.onResult(a, 'ack');
    sender.onResult(a, 'ack');
    expect(sender.counters.acked).toBe(1);
  });
});
