import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareEdgeService } from './edge-service.js';
import type { GivenFlag } from './service-args.js';

const TOKEN = `${'b'.repeat(64)}.abcdef.0123456789abcdef`;
const flag = (attribute: string, f: string, value?: string): GivenFlag => ({ flag: f, attribute, value });

describe('an edge as a service', () => {
  it('moves the join token into the environment and gives the service a node name and a data directory', async () => {
    const given = [flag('server', '--server', 'hub:10002'), flag('token', '--token', TOKEN)];
    const prepared = await prepareEdgeService({ server: 'hub:10002', token: TOKEN }, given, { cwd: '/home/me', env: {} });
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.value.env).toEqual([{ name: 'OUTPOST_TOKEN', value: TOKEN, masked: `${'b'.repeat(64)}.abcdef.${'*'.repeat(16)}` }]);
    expect(prepared.value.flags.map((f) => f.flag)).toEqual(['--server', '--node-name', '--data-dir']);
    expect(prepared.value.flags.find((f) => f.attribute === 'nodeName')?.value).toBe(hostname().toLowerCase());
    expect(prepared.value.flags.find((f) => f.attribute === 'dataDir')?.value).toBe('/var/lib/outpost');
  });

  it('reads the token from --token-file or OUTPOST_TOKEN, and makes paths absolute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-svc-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    const given = [flag('tokenFile', '--token-file', 'token'), flag('dataDir', '--data-dir', 'data'), flag('nodeName', '--node-name', 'n1'), flag('server', '--server', 'h')];
    const fromFile = await prepareEdgeService({ tokenFile: join(dir, 'token'), dataDir: 'data', nodeName: 'n1', server: 'h' }, given, { cwd: dir, env: {} });
    expect(fromFile.ok && fromFile.value.env[0]?.value).toBe(TOKEN);
    expect(fromFile.ok && fromFile.value.flags.map((f) => `${f.flag}=${f.value}`)).toEqual([`--data-dir=${join(dir, 'data')}`, '--node-name=n1', '--server=h']);
    const fromEnv = await prepareEdgeService({ nodeName: 'n1', server: 'h' }, [], { cwd: dir, env: { OUTPOST_TOKEN: TOKEN } });
    expect(fromEnv.ok && fromEnv.value.env[0]?.name).toBe('OUTPOST_TOKEN');
  });

  it('refuses what `outpost edge` would refuse at its first start', async () => {
    const context = { cwd: '/', env: {} };
    expect(await prepareEdgeService({ nodeName: 'n1', server: 'h', token: 'not-a-token' }, [], context)).toMatchObject({ ok: false, code: 'ConfigInvalid' });
    expect(await prepareEdgeService({ nodeName: 'n1', token: TOKEN }, [], context)).toMatchObject({ ok: false, message: expect.stringContaining('--server') as string });
    expect(await prepareEdgeService({ nodeName: 'N_1', server: 'h', token: TOKEN }, [], context)).toMatchObject({ ok: false, message: expect.stringContaining('DNS-1123') as string });
    expect(await prepareEdgeService({ nodeName: 'n1', server: 'h', token: TOKEN, logLevel: 'loud' }, [], context)).toMatchObject({ ok: false, code: 'ConfigInvalid' });
    await expect(prepareEdgeService({ nodeName: 'n1', server: 'h', token: TOKEN, tokenFile: '/x' }, [], context)).rejects.toThrow(/not both/);
  });

  it('needs no token for a node that has joined already', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-svc-'));
    mkdirSync(join(dir, 'edges', 'n1'), { recursive: true });
    writeFileSync(join(dir, 'edges', 'n1', 'config.yaml'), 'nodeName: n1\n');
    const prepared = await prepareEdgeService({ nodeName: 'n1', dataDir: dir }, [flag('nodeName', '--node-name', 'n1'), flag('dataDir', '--data-dir', dir)], { cwd: '/', env: {} });
    expect(prepared).toMatchObject({ ok: true, value: { env: [] } });
  });
});
