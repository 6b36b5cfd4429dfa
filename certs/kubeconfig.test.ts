import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeKubeconfig } from './kubeconfig.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-kubeconfig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pems = { caPem: 'CA-PEM\n', certPem: 'CERT-PEM\n', keyPem: 'KEY-PEM\n' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('writeKubeconfig', () => {
  it('writes a kubeconfig with embedded credentials, mode 0600', async () => {
    const file = join(dir, 'cloud', 'admin.kubeconfig');
    await writeKubeconfig(file, { server: 'https://127.0.0.1:6443', ...pems });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'cloud'))).mode & 0o777).toBe(0o700);

    const config = parse(await readFile(file, 'utf8'));
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'outpost', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('CA-PEM\n') } },
      ],
      users: [
        { name: 'admin', user: { 'client-certificate-data': b64('CERT-PEM\n'), 'client-key-data': b64('KEY-PEM\n') } },
      ],
      contexts: [{ name: 'outpost', context: { cluster: 'outpost', user: 'admin' } }],
      'current-context': 'outpost',
      preferences: {},
    });
  });

  it('uses the given names and replaces an existing file', async () => {
    const file = join(dir, 'config');
    await writeKubeconfig(file, { server: 'https://a:1', ...pems });
    await writeKubeconfig(file, {
      server: 'https://b:2',
      ...pems,
      user: 'jane',
      clusterName: 'edge-lab',
      contextName: 'jane@edge-lab',
    });
    const config = parse(await readFile(file, 'utf8'));
    expect(config.clusters[0].name).toBe('edge-lab');
    expect(config.clusters[0].cluster.server).toBe('https://b:2');
    expect(config.users[0].name).toBe('jane');
    expect(config.contexts[0]).toEqual({ name: 'jane@edge-lab', context: { cluster: 'edge-lab', user: 'jane' } });
    expect(config['current-context']).toBe('jane@edge-lab');
  });
});
