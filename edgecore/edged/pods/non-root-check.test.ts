import { describe, expect, it } from 'vitest';
import type { CriClient } from '../cri/index.js';
import { parsePod } from '../podspec/index.js';
import { verifyRunAsNonRoot } from './non-root-check.js';

function pod(podContext: Record<string, unknown>, containerContext: Record<string, unknown> = {}) {
  const parsed = parsePod({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { securityContext: podContext, containers: [{ name: 'c', image: 'outpost.local/busybox:1', securityContext: containerContext }] },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const imageUser = (user: { uid?: number; username?: string }): CriClient =>
  ({ imageStatus: async () => ({ ok: true, value: { image: { id: 'sha256:x', repoTags: [], repoDigests: [], size: 1n, username: user.username ?? '', ...(user.uid === undefined ? {} : { uid: user.uid }) }, info: {} } }) }) as unknown as CriClient;

describe('runAsNonRoot, as kubelet verifies it', () => {
  it('refuses root from the spec or from the image, accepts a numeric non-root user', async () => {
    const check = (p: ReturnType<typeof pod>, cri: CriClient) => verifyRunAsNonRoot(cri, p, p.spec.containers[0]!, 'ref', 'p_default(u)');
    expect(await check(pod({ runAsNonRoot: true }), imageUser({ uid: 0 }))).toBe('container has runAsNonRoot and image will run as root (pod: "p_default(u)", container: c)');
    expect(await check(pod({ runAsNonRoot: true }), imageUser({}))).toMatch(/image will run as root/);
    expect(await check(pod({ runAsNonRoot: true }), imageUser({ username: 'nobody' }))).toMatch(/non-numeric user \(nobody\)/);
    expect(await check(pod({ runAsNonRoot: true }), imageUser({ uid: 1000 }))).toBeUndefined();
    expect(await check(pod({ runAsNonRoot: true }, { runAsUser: 0 }), imageUser({ uid: 1000 }))).toMatch(/runAsUser breaks non-root policy/);
    expect(await check(pod({ runAsNonRoot: true, runAsUser: 1000 }), imageUser({ uid: 0 }))).toBeUndefined();
    expect(await check(pod({}), imageUser({ uid: 0 }))).toBeUndefined();
  });
});
