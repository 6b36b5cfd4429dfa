import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTicketKeys, TICKET_KEYS_FILE } from './ticket-keys.js';

describe('ensureTicketKeys', () => {
  it('makes 48 bytes once (0600) and reads the same keys back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-ticket-keys-'));
    const first = await ensureTicketKeys(dir);
    const second = await ensureTicketKeys(dir);
    if (!first.ok || !second.ok) throw new Error('expected keys');
    expect(first.value.length).toBe(48);
    expect(second.value.equals(first.value)).toBe(true);
    expect((await stat(join(dir, TICKET_KEYS_FILE))).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(join(dir, TICKET_KEYS_FILE), 'utf8')).trim(), 'base64').equals(first.value)).toBe(true);
  });

  it('reports a damaged file instead of replacing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-ticket-keys-'));
    await writeFile(join(dir, TICKET_KEYS_FILE), Buffer.alloc(16).toString('base64'));
    const read = await ensureTicketKeys(dir);
    expect(read.ok ? 'ok' : read.code).toBe('Invalid');
  });
});
