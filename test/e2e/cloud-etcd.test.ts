import { Etcd3 } from 'etcd3';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { configMapObject, followOutput, manifest } from '../helpers/kubectl-e2e.js';

/**
 * A real cloudcore (dist/) on a real one-member etcd (docs/datastore.md): kubectl 1.32 works as
 * on SQLite (create, chunked lists, watch, delete), a restart keeps everything, and a second
 * cloudcore on the same etcd serves the same objects and sees the first one's writes live.
 */
const NS = 'etcd-e2e';
let etcd: EtcdCluster;
let cloud: CloudProcess;
let kubectl: Kubectl;
let datastoreArgs: string[];

beforeAll(async () => {
  etcd = await startEtcd({ members: 1 });
  datastoreArgs = ['--datastore-endpoint', etcd.datastoreEndpoint];
  cloud = await startCloud({ args: datastoreArgs });
  kubectl = createKubectl(cloud.kubeconfig);
});

afterAll(async () => {
  await cloud?.stop();
  await etcd?.stop();
});

async function configMapNames(client: Kubectl, extra: string[] = []): Promise<string[]> {
  const out = await client.ok(['get', 'configmaps', '-n', NS, '-o', 'name', ...extra]);
  return out.trim().split('\n').filter((line) => line.startsWith('configmap/cm-')).sort();
}

describe('cloudcore on etcd', () => {
  const expected = Array.from({ length: 12 }, (_, i) => `configmap/cm-${String(i).padStart(2, '0')}`);

  it('serves kubectl create, chunked lists, watch and delete, with the objects in etcd', async () => {
    await kubectl.ok(['create', 'namespace', NS]); // a generator: sent as protobuf
    await kubectl.ok(['create', 'configmap', 'cm-00', '-n', NS, '--from-literal=k=0']);
    const rest = expected.slice(1).map((name) => configMapObject(NS, name.slice('configmap/'.length), { k: name }));
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(...rest) });
    expect(await configMapNames(kubectl, ['--chunk-size=5'])).toEqual(expected);
    expect(await kubectl.ok(['get', 'configmap', 'cm-00', '-n', NS, '-o', 'jsonpath={.data.k}'])).toBe('0');

    const watch = followOutput(kubectl.spawn(['get', 'configmaps', '-n', NS, '-w', '--output-watch-events']));
    try {
      await watch.waitFor(/^ADDED\s+cm-11\s/m);
      await kubectl.ok(['create', 'configmap', 'cm-new', '-n', NS, '--from-literal=a=1']);
      await watch.waitFor(/^ADDED\s+cm-new\s/m);
      await kubectl.ok(['delete', 'configmap', 'cm-new', '-n', NS]);
      await watch.waitFor(/^DELETED\s+cm-new\s/m);
    } finally {
      watch.kill();
    }

    // The objects are etcd's, under the default prefix; there is no SQLite file.
    const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
    try {
      const keys = await client.getAll().prefix('/outpost/data/').keys();
      expect(keys.filter((key) => key.includes(NS) && key.includes('/cm-'))).toHaveLength(12);
    } finally {
      client.close();
    }
    expect(existsSync(join(cloud.dataDir, 'cloud', 'state.db'))).toBe(false);
    expect(await kubectl.ok(['get', '--raw', '/readyz?verbose'])).toContain('[+]etcd ok');
  });

  it('keeps everything across a restart, resourceVersions included', async () => {
    const before = await kubectl.ok(['get', 'configmap', 'cm-05', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}']);
    expect(await cloud.stop('SIGTERM')).toBe(0);
    cloud = await startCloud({ dataDir: cloud.dataDir, args: datastoreArgs });
    kubectl = createKubectl(cloud.kubeconfig);
    expect(await configMapNames(kubectl, ['--chunk-size=4'])).toEqual(expected);
    expect(await kubectl.ok(['get', 'configmap', 'cm-05', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(before);
  });

  it('refuses a bad --datastore-endpoint at once, naming the field', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [OUTPOST_CLI, 'cloud', '--data-dir', tempDir('cloud-bad-etcd'), '--datastore-endpoint', 'mysql://db:3306'], (_err, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/storage\.datastoreEndpoint.*scheme must be etcd:\/\/, http:\/\/ or https:\/\//);
  });

  it('lets a second cloudcore on the same etcd list the objects and watch the first one write', async () => {
    const second = await startCloud({ args: datastoreArgs });
    try {
      const other = createKubectl(second.kubeconfig);
      expect(await configMapNames(other, ['--chunk-size=5'])).toEqual(expected);
      const watch = followOutput(other.spawn(['get', 'configmaps', '-n', NS, '-w', '--output-watch-events']));
      try {
        await watch.waitFor(/^ADDED\s+cm-11\s/m);
        await kubectl.ok(['create', 'configmap', 'cm-from-first', '-n', NS, '--from-literal=a=1']);
        await watch.waitFor(/^ADDED\s+cm-from-first\s/m);
      } finally {
        watch.kill();
      }
      expect(await other.ok(['get', 'configmap', 'cm-from-first', '-n', NS, '-o', 'jsonpath={.data.a}'])).toBe('1');
    } finally {
      await second.stop();
    }
  });
});
