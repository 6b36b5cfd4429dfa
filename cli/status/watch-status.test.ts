import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from './status-snapshot.js';
import { showStatus } from './watch-status.js';

const now = () => new Date('2026-01-01T00:00:00Z');

function fakeGather(stopAfter: number, abort?: AbortController): { gather: () => Promise<StatusSnapshot>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    gather: async () => {
      calls++;
      if (calls >= stopAfter) abort?.abort();
      return {
        at: `2026-01-01T00:00:0${calls}.000Z`,
        cloud: { server: 'https://x', readyz: { state: 'ok', checks: [] }, livez: { state: 'ok', checks: [] }, hubs: { ok: true, items: [] } },
        nodes: { ok: true, items: [] },
        unassignedPods: [],
        devices: { ok: true, items: [] },
      };
    },
  };
}

function capture(isTTY: boolean): { out: { write(text: string): void; isTTY: boolean }; text: () => string } {
  let text = '';
  return { out: { isTTY, write: (t) => (text += t) }, text: () => text };
}

describe('showStatus', () => {
  it('shows once without -w', async () => {
    const g = fakeGather(99);
    const c = capture(false);
    await showStatus({ gather: g.gather, out: c.out, format: 'text', now });
    expect(g.calls()).toBe(1);
    expect(c.text()).toMatch(/^Outpost status at 2026-01-01T00:00:01.000Z\n/);
    expect(c.text()).not.toContain('\u001b');
  });

  it('with -w off a terminal, prints a new block each refresh until aborted', async () => {
    const abort = new AbortController();
    const g = fakeGather(3, abort);
    const c = capture(false);
    await showStatus({ gather: g.gather, out: c.out, format: 'text', watch: { intervalMs: 1, signal: abort.signal }, now });
    expect(c.text().match(/^Outpost status at/gm)).toHaveLength(3);
    expect(c.text()).toContain('\n\nOutpost status at 2026-01-01T00:00:02.000Z');
    expect(c.text()).not.toContain('\u001b');
  });

  it('with -w on a terminal, redraws in place; -o json prints one document per line', async () => {
    const abort = new AbortController();
    const c = capture(true);
    await showStatus({ gather: fakeGather(2, abort).gather, out: c.out, format: 'text', watch: { intervalMs: 1, signal: abort.signal }, now });
    expect(c.text().split('\u001b[H\u001b[2J')).toHaveLength(3);
    const json = new AbortController();
    const j = capture(true);
    await showStatus({ gather: fakeGather(2, json).gather, out: j.out, format: 'json', watch: { intervalMs: 1, signal: json.signal }, now });
    const lines = j.text().trimEnd().split('\n').map((l) => JSON.parse(l) as StatusSnapshot);
    expect(lines.map((s) => s.at)).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z']);
  });
});
