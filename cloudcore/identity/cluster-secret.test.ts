import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateClusterSecret, keepClusterSecret, resolveClusterSecret } from './cluster-secret.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'outpost-secret-'));
  dirs.push(d);
  return d;
}

describe('the cluster secret', () => {
  it('is 32 random bytes in base64url when made', () => {
    const secret = generateClusterSecret();
    expect(Buffer.from(secret, 'base64url').length).toBe(32);
    expect(secret).not.toBe(generateClusterSecret());
  });

  it('comes from the flag first, then the environment, then the data folder', async () => {
    const d = await dir();
    const flagFile = join(d, 'given');
    const localFile = join(d, 'cluster-secret');
    await writeFile(flagFile, 'secret-from-the-flag-file\n');
    await writeFile(localFile, 'secret-from-the-data-folder\n');
    const env = { OUTPOST_CLUSTER_SECRET: 'secret-from-the-environment' };
    expect(await resolveClusterSecret({ secretFile: flagFile, env, localFile })).toEqual({ ok: true, value: { secret: 'secret-from-the-flag-file', source: 'flag' } });
    expect(await resolveClusterSecret({ env, localFile })).toEqual({ ok: true, value: { secret: 'secret-from-the-environment', source: 'env' } });
    expect(await resolveClusterSecret({ env: {}, localFile })).toEqual({ ok: true, value: { secret: 'secret-from-the-data-folder', source: 'local' } });
    expect(await resolveClusterSecret({ env: {}, localFile: join(d, 'none') })).toEqual({ ok: true, value: undefined });
  });

  it('refuses a missing flag file and a secret that is too short', async () => {
    const d = await dir();
    expect(await resolveClusterSecret({ secretFile: join(d, 'missing'), env: {}, localFile: join(d, 'x') })).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await resolveClusterSecret({ env: { OUTPOST_CLUSTER_SECRET: 'short' }, localFile: join(d, 'x') })).toMatchObject({ ok: false, code: 'Invalid' });
  });

  it('is kept in the data folder once, and another secret there is an error', async () => {
    const localFile = join(await dir(), 'cluster-secret');
    expect(await keepClusterSecret(localFile, 'first-secret-value-long')).toEqual({ ok: true, value: { written: true } });
    expect(await keepClusterSecret(localFile, 'first-secret-value-long')).toEqual({ ok: true, value: { written: false } });
    expect(await keepClusterSecret(localFile, 'other-secret-value-long')).toMatchObject({ ok: false, code: 'Invalid' });
  });
});
