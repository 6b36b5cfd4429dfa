import { describe, expect, it } from 'vitest';
import { prepareCloudService } from './cloud-service.js';

describe('a cloud as a service', () => {
  it('keeps the flags, adds a data directory and moves OUTPOST_CLUSTER_SECRET into the environment', async () => {
    const given = [{ flag: '--api-port', attribute: 'apiPort', value: '6443' }, { flag: '--token-auth-file', attribute: 'tokenAuthFile', value: 'tokens.csv' }];
    const prepared = await prepareCloudService({ apiPort: 6443, tokenAuthFile: 'tokens.csv' }, given, { cwd: '/srv', env: { OUTPOST_CLUSTER_SECRET: 'sixteen-chars-or-more' } });
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.value.flags.map((f) => `${f.flag}=${f.value}`)).toEqual(['--api-port=6443', '--token-auth-file=/srv/tokens.csv', '--data-dir=/var/lib/outpost']);
    expect(prepared.value.env).toEqual([{ name: 'OUTPOST_CLUSTER_SECRET', value: 'sixteen-chars-or-more', masked: '********' }]);
  });

  it('refuses a short cluster secret, and a config `outpost cloud` would refuse', async () => {
    expect(await prepareCloudService({}, [], { cwd: '/', env: { OUTPOST_CLUSTER_SECRET: 'short' } })).toMatchObject({ ok: false, code: 'ConfigInvalid' });
    await expect(prepareCloudService({ logLevel: 'loud' }, [], { cwd: '/', env: {} })).rejects.toThrow(/logLevel/);
  });

  it('leaves the secret to --cluster-secret-file when it is given, as `outpost cloud` does', async () => {
    const prepared = await prepareCloudService({ clusterSecretFile: '/etc/outpost/secret' }, [], { cwd: '/', env: { OUTPOST_CLUSTER_SECRET: 'sixteen-chars-or-more' } });
    expect(prepared).toMatchObject({ ok: true, value: { env: [] } });
  });
});
