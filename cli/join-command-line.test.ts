import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinCommandLine, resolveJoinAddress } from './join-command-line.js';

describe('the join command', () => {
  it('names the server, the token and the node, quoting for sh only what needs it', () => {
    expect(joinCommandLine({ address: '192.0.2.2:10002', token: 'aa.bbbbbb.cc', nodeName: 'shop-1' })).toBe('outpost edge --server 192.0.2.2:10002 --token aa.bbbbbb.cc --node-name shop-1');
    expect(joinCommandLine({ address: '[fd00::2]:10002', token: 't' })).toBe(`outpost edge --server '[fd00::2]:10002' --token t --node-name "$(hostname | tr A-Z a-z)"`);
  });

  it('takes --server, else the address the cloud published, else the API host with a note', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'outpost-join-address-'));
    expect(await resolveJoinAddress({ server: 'lb.example:443', dataDir, usesOwnKubeconfig: false, apiServer: 'https://127.0.0.1:6443' })).toEqual({ address: 'lb.example:443' });
    const guessed = await resolveJoinAddress({ dataDir, usesOwnKubeconfig: false, apiServer: 'https://127.0.0.1:6443' });
    expect(guessed.address).toBe('127.0.0.1:10002');
    expect(guessed.warning).toContain('pass --server HOST:PORT');
    mkdirSync(join(dataDir, 'cloud'));
    writeFileSync(join(dataDir, 'cloud', 'endpoints.json'), JSON.stringify({ pid: 1, join: '192.0.2.2:41234' }));
    expect(await resolveJoinAddress({ dataDir, usesOwnKubeconfig: false, apiServer: 'https://127.0.0.1:6443' })).toEqual({ address: '192.0.2.2:41234' });
    expect((await resolveJoinAddress({ dataDir, usesOwnKubeconfig: true, apiServer: 'https://cloud.example:6443' })).address).toBe('cloud.example:10002');
  });
});
