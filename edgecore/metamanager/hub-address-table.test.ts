import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeStore } from './edge-store.js';

describe('edge.db hub addresses (protocol.md R45)', () => {
  it('keeps the list in order across a reopen, replaced whole', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'outpost-hubs-')), 'edge.db');
    const first = EdgeStore.open(file);
    if (!first.ok) throw new Error(first.message);
    expect(first.value.hubs.list()).toEqual([]);
    expect(first.value.hubs.replace(['wss://b:1', 'wss://a:2/', 'wss://b:1'])).toBe(true);
    expect(first.value.hubs.replace(['wss://b:1', 'wss://a:2'])).toBe(false);
    first.value.close();
    const again = EdgeStore.open(file);
    if (!again.ok) throw new Error(again.message);
    expect(again.value.hubs.list()).toEqual(['wss://b:1', 'wss://a:2']);
    again.value.hubs.replace([]);
    expect(again.value.hubs.list()).toEqual([]);
    again.value.close();
  });
});
