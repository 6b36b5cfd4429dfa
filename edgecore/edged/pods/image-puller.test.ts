import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { Backoff } from './backoff.js';
import { ensureImage } from './image-puller.js';
import { defaultPullPolicy, type PullPolicy } from './pod-view.js';

/** Just the image calls of a CRI client, over a set of present images; PullImage always fails (offline). */
function fakeCri(present: Set<string>) {
  const calls: string[] = [];
  const cri = {
    imageStatus: async (image: string) => {
      calls.push(`status ${image}`);
      return ok({ image: present.has(image) ? { id: `sha256:${image.length}`, repoTags: [image], repoDigests: [], size: 1, uid: undefined, username: '', spec: undefined, pinned: false } : undefined, info: {} });
    },
    pullImage: async (image: string) => {
      calls.push(`pull ${image}`);
      return fail('Internal', `failed to pull and unpack image "${image}": failed to resolve reference "${image}": no such host`);
    },
  };
  return { cri: cri as unknown as CriClient, calls };
}

const sandboxConfig = { metadata: { name: 'p', uid: 'u1', namespace: 'default' } };

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const container = (image: string, pullPolicy: PullPolicy) => ({ name: 'app', image, pullPolicy });

describe('ensureImage', () => {
  it('IfNotPresent: uses the image that is present without pulling', async () => {
    const { cri, calls } = fakeCri(new Set(['outpost.local/busybox:1']));
    const result = await ensureImage(cri, new Backoff({ initialMs: 10_000, maxMs: 300_000 }, () => 0), 'u1', container('outpost.local/busybox:1', 'IfNotPresent'), sandboxConfig);
    expect(result).toEqual({ ok: true, imageRef: 'sha256:23' });
    expect(calls).toEqual(['status outpost.local/busybox:1']);
  });

  it('IfNotPresent: an absent image is pulled; a failure is ErrImagePull, then ImagePullBackOff until the back-off ends', async () => {
    const { cri, calls } = fakeCri(new Set());
    const c = clock();
    const backoff = new Backoff({ initialMs: 10_000, maxMs: 300_000 }, c.now);
    const image = 'outpost.local/missing:1';
    const first = await ensureImage(cri, backoff, 'u1', container(image, 'IfNotPresent'), sandboxConfig);
    expect(first).toMatchObject({ ok: false, failure: { reason: 'ErrImagePull', message: expect.stringMatching(/^Failed to pull image "outpost.local\/missing:1": failed to pull and unpack/) } });
    c.advance(5_000);
    const second = await ensureImage(cri, backoff, 'u1', container(image, 'IfNotPresent'), sandboxConfig);
    expect(second).toEqual({ ok: false, failure: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "outpost.local/missing:1"' }, retryAfterMs: 5_000 });
    c.advance(5_000);
    const third = await ensureImage(cri, backoff, 'u1', container(image, 'IfNotPresent'), sandboxConfig);
    expect(third).toMatchObject({ ok: false, failure: { reason: 'ErrImagePull' } });
    expect(calls.filter((call) => call.startsWith('pull'))).toHaveLength(2);
  });

  it('Never: an absent image is ErrImageNeverPull, and nothing is pulled', async () => {
    const { cri, calls } = fakeCri(new Set());
    const result = await ensureImage(cri, new Backoff({ initialMs: 1, maxMs: 2 }, () => 0), 'u1', container('outpost.local/x:1', 'Never'), sandboxConfig);
    expect(result).toEqual({ ok: false, failure: { reason: 'ErrImageNeverPull', message: 'Container image "outpost.local/x:1" is not present with pull policy of Never' } });
    expect(calls).toEqual(['status outpost.local/x:1']);
  });

  it('Always: pulls even when present, so offline it fails as Kubernetes does', async () => {
    const { cri, calls } = fakeCri(new Set(['outpost.local/busybox:latest']));
    const result = await ensureImage(cri, new Backoff({ initialMs: 1, maxMs: 2 }, () => 0), 'u1', container('outpost.local/busybox:latest', 'Always'), sandboxConfig);
    expect(result).toMatchObject({ ok: false, failure: { reason: 'ErrImagePull' } });
    expect(calls).toEqual(['pull outpost.local/busybox:latest']);
  });

  it('defaults the pull policy as Kubernetes does', () => {
    expect(defaultPullPolicy('outpost.local/busybox')).toBe('Always');
    expect(defaultPullPolicy('outpost.local/busybox:latest')).toBe('Always');
    expect(defaultPullPolicy('outpost.local/busybox:1')).toBe('IfNotPresent');
    expect(defaultPullPolicy('localhost:5000/busybox')).toBe('Always');
    expect(defaultPullPolicy('outpost.local/busybox@sha256:abcd')).toBe('IfNotPresent');
  });
  it('records kubelet\'s image events: Pulled when present, Pulling then Failed when a pull fails', async () => {
    const events: string[] = [];
    const record = (e: { type: string; reason: string; message: string }) => events.push(`${e.type} ${e.reason}: ${e.message}`);
    const { cri } = fakeCri(new Set(['outpost.local/busybox:1']));
    await ensureImage(cri, new Backoff({ initialMs: 10_000, maxMs: 300_000 }, () => 0), 'u1', container('outpost.local/busybox:1', 'IfNotPresent'), sandboxConfig, record);
    await ensureImage(cri, new Backoff({ initialMs: 10_000, maxMs: 300_000 }, () => 0), 'u1', container('example.test/app:2', 'IfNotPresent'), sandboxConfig, record);
    expect(events).toEqual([
      'Normal Pulled: Container image "outpost.local/busybox:1" already present on machine',
      'Normal Pulling: Pulling image "example.test/app:2"',
      'Warning Failed: Failed to pull image "example.test/app:2": failed to pull and unpack image "example.test/app:2": failed to resolve reference "example.test/app:2": no such host',
    ]);
  });
});
