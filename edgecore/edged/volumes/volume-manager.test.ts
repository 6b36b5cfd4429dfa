/** The volume manager on the real host: tmpfs mounts (edgecore runs as root), folders, teardown, sweep. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePod, type ObjectLookup, type Pod } from '../podspec/index.js';
import { createServiceAccountTokens } from './service-account-tokens.js';
import { mountedFsType, mountsUnder, unmountUnder } from './tmpfs.js';
import { createVolumeManager } from './volume-manager.js';

let root: string;
let configData: Record<string, string>;
const lookup: ObjectLookup = {
  configMap: (ns, name) => (ns === 'default' && name === 'cfg' ? { data: { ...configData } } : undefined),
  secret: (ns, name) => (ns === 'default' && name === 'creds' ? { data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'outpost-volumes-'));
  configData = { 'app.conf': 'v1' };
});
afterEach(async () => {
  await unmountUnder(root);
  rmSync(root, { recursive: true, force: true });
});

function makePod(uid: string, volumes: Record<string, unknown>[]): Pod {
  const parsed = parsePod({ metadata: { name: `pod-${uid}`, namespace: 'default', uid }, spec: { serviceAccountName: 'reader', containers: [{ name: 'c', image: 'i' }], volumes } });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const allVolumes = (hostDir: string): Record<string, unknown>[] => [
  { name: 'config', configMap: { name: 'cfg' } },
  { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
  { name: 'scratch', emptyDir: {} },
  { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '2Mi' } },
  { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
  { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
];

describe('volume manager', () => {
  it('sets up every kind of volume where kubelet would, secrets and memory emptyDirs on tmpfs', async () => {
    const tokens = createServiceAccountTokens();
    const manager = createVolumeManager({ root, lookup, tokens });
    const hostDir = join(root, 'host-side', 'data');
    const result = await manager.setupPod(makePod('u1', allVolumes(hostDir)));
    expect(result.failures).toEqual([]);
    const path = (name: string): string => result.volumes.get(name)?.hostPath ?? '';
    expect(path('config')).toBe(join(root, 'u1', 'volumes', 'kubernetes.io~configmap', 'config'));
    expect(readFileSync(join(path('config'), 'app.conf'), 'utf8')).toBe('v1');
    expect(mountedFsType(path('config'))).toBeUndefined();
    expect(mountedFsType(path('creds'))).toBe('tmpfs');
    expect(readFileSync(join(path('creds'), 'password'), 'utf8')).toBe('s3cret');
    expect(statSync(join(path('creds'), 'password')).mode & 0o777).toBe(0o400);
    expect(mountedFsType(path('scratch'))).toBeUndefined();
    expect(statSync(path('scratch')).mode & 0o777).toBe(0o777);
    expect(mountedFsType(path('cache'))).toBe('tmpfs');
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toMatch(new RegExp(`${path('cache')} .*size=2048k`));
    expect(path('host')).toBe(hostDir);
    expect(statSync(hostDir).isDirectory()).toBe(true);
    expect(mountedFsType(path('api'))).toBe('tmpfs');
    const token = readFileSync(join(path('api'), 'token'), 'utf8');
    expect(tokens.authenticate(token)).toEqual({ kind: 'service-account', namespace: 'default', name: 'reader' });
    expect(readFileSync(join(path('api'), 'ns'), 'utf8')).toBe('default');
    expect([...result.volumes.entries()].filter(([, v]) => v.readOnly).map(([n]) => n).sort()).toEqual(['api', 'config', 'creds']);
  });

  it('a second setup keeps emptyDir content and tmpfs, and updates configMap files in place', async () => {
    const manager = createVolumeManager({ root, lookup, tokens: createServiceAccountTokens() });
    const pod = makePod('u2', allVolumes(join(root, 'h')));
    const first = await manager.setupPod(pod);
    const scratch = first.volumes.get('scratch')?.hostPath ?? '';
    const cache = first.volumes.get('cache')?.hostPath ?? '';
    writeFileSync(join(scratch, 'kept'), 'disk');
    writeFileSync(join(cache, 'kept'), 'memory');
    configData = { 'app.conf': 'v2', added: 'new' };
    const second = await manager.setupPod(pod);
    expect(second.failures).toEqual([]);
    expect(readFileSync(join(scratch, 'kept'), 'utf8')).toBe('disk');
    expect(readFileSync(join(cache, 'kept'), 'utf8')).toBe('memory');
    expect(mountsUnder(cache)).toEqual([cache]); // not mounted twice
    const config = second.volumes.get('config')?.hostPath ?? '';
    expect(readFileSync(join(config, 'app.conf'), 'utf8')).toBe('v2');
    expect(readFileSync(join(config, 'added'), 'utf8')).toBe('new');
  });

  it('a new manager (edgecore restarted) adopts the volumes and the token the pod already has', async () => {
    const pod = makePod('u3', allVolumes(join(root, 'h')));
    const first = await createVolumeManager({ root, lookup, tokens: createServiceAccountTokens() }).setupPod(pod);
    const api = first.volumes.get('api')?.hostPath ?? '';
    const token = readFileSync(join(api, 'token'), 'utf8');
    writeFileSync(join(first.volumes.get('cache')?.hostPath ?? '', 'kept'), 'memory');
    const tokens = createServiceAccountTokens();
    expect(tokens.authenticate(token)).toBeUndefined();
    const again = await createVolumeManager({ root, lookup, tokens }).setupPod(pod);
    expect(readFileSync(join(again.volumes.get('cache')?.hostPath ?? '', 'kept'), 'utf8')).toBe('memory');
    expect(readFileSync(join(api, 'token'), 'utf8')).toBe(token);
    expect(tokens.authenticate(token)?.name).toBe('reader');
  });

  it("reports each volume that cannot be set up with kubelet's reason, and sets up the rest", async () => {
    const manager = createVolumeManager({ root, lookup });
    const result = await manager.setupPod(makePod('u4', [
      { name: 'missing', configMap: { name: 'absent' } },
      { name: 'missing-secret', secret: { secretName: 'absent' } },
      { name: 'optional', configMap: { name: 'absent', optional: true } },
      { name: 'not-a-dir', hostPath: { path: '/dev/null', type: 'Directory' } },
      { name: 'nfs', nfs: { server: 'x', path: '/' } },
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'ok', emptyDir: {} },
    ]));
    expect(result.failures).toEqual([
      { volume: 'missing', message: 'configmap "absent" not found' },
      { volume: 'missing-secret', message: 'secret "absent" not found' },
      { volume: 'not-a-dir', message: 'hostPath type check failed: /dev/null is not a directory' },
      { volume: 'nfs', message: 'volume source nfs is not supported on this edge' },
      { volume: 'token', message: 'serviceAccountToken projections are not available: edged runs without MetaServer tokens' },
    ]);
    expect([...result.volumes.keys()].sort()).toEqual(['ok', 'optional']);
    expect(manager.current('u4')).toBe(result);
  });

  it('teardown unmounts, removes the folders and revokes the token; the sweep removes unknown pods only', async () => {
    const tokens = createServiceAccountTokens();
    const manager = createVolumeManager({ root, lookup, tokens });
    const hostDir = join(root, 'host-data');
    mkdirSync(hostDir);
    writeFileSync(join(hostDir, 'precious'), 'x');
    const gone = await manager.setupPod(makePod('gone', allVolumes(hostDir)));
    const token = readFileSync(join(gone.volumes.get('api')?.hostPath ?? '', 'token'), 'utf8');
    await manager.setupPod(makePod('kept', allVolumes(hostDir)));
    mkdirSync(join(root, 'stale', 'volumes', 'kubernetes.io~empty-dir', 'x'), { recursive: true });
    // A new manager knows nothing of what the old one set up: only `keep` protects a pod.
    const swept = await createVolumeManager({ root, lookup, tokens }).sweep(new Set(['kept', 'host-data']));
    expect(swept).toEqual({ ok: true, value: ['gone', 'stale'] });
    expect(existsSync(join(root, 'gone'))).toBe(false);
    expect(existsSync(join(root, 'kept'))).toBe(true);
    expect(mountsUnder(join(root, 'gone'))).toEqual([]);
    expect(readFileSync(join(hostDir, 'precious'), 'utf8')).toBe('x');
    expect(tokens.authenticate(token)).toBeUndefined();
    expect((await manager.teardownPod('gone')).ok).toBe(true); // idempotent
    expect((await manager.sweep(new Set())).ok).toBe(true);
    expect(existsSync(join(root, 'kept'))).toBe(true); // set up by this manager: never swept
    expect((await manager.teardownPod('kept')).ok).toBe(true);
    expect(mountsUnder(root)).toEqual([]);
  });
});
