import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgedSetup, waitForBody, waitForPod, type EdgedSetup, type PodView } from '../helpers/edged-e2e.js';

/*
 * Edged, part 2 (issue 7): init containers run in order before the main container, with their
 * status reported; a crash loop shows CrashLoopBackOff and the waits between restarts grow
 * (kubelet's back-off: the first restart at once, then 10 s, then 20 s, ...).
 */
let setup: EdgedSetup | undefined;
beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'init-backoff' });
});
afterAll(async () => {
  await setup?.stop();
});

const image = 'outpost.local/busybox:1';

describe('edged: init containers and restart back-off', () => {
  it('runs init containers in order, each to completion, before the main container', async () => {
    const s = setup!;
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ordered', namespace: 'default' },
      spec: {
        nodeName: s.node,
        terminationGracePeriodSeconds: 2,
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'first', image, command: ['sh', '-c', 'echo first >> /work/order; sleep 1'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'second', image, command: ['sh', '-c', 'test "$(cat /work/order)" = first && echo second >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{ name: 'web', image, command: ['sh', '-c', 'echo main >> /work/order; exec httpd -f -p 8080 -h /work'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      },
    };
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    const running = await waitForPod(s, 'ordered', (p) => p.status?.phase === 'Running');
    const body = await waitForBody(`http://${running.status?.podIP ?? ''}:8080/order`, 'main');
    expect(body.trim().split('\n')).toEqual(['first', 'second', 'main']);
    const init = (running.status as { initContainerStatuses?: Array<{ name: string; ready: boolean; state?: { terminated?: { exitCode: number; reason?: string } } }> }).initContainerStatuses;
    expect(init?.map((c) => [c.name, c.state?.terminated?.exitCode, c.state?.terminated?.reason])).toEqual([['first', 0, 'Completed'], ['second', 0, 'Completed']]);
    const initialized = (running.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.find((c) => c.type === 'Initialized');
    expect(initialized?.status).toBe('True');
  });

  it('a crash loop shows CrashLoopBackOff, and the waits between restarts grow', async () => {
    const s = setup!;
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'looping', namespace: 'default' },
      spec: { nodeName: s.node, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image, command: ['sh', '-c', 'exit 1'] }] },
    };
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    // The moment each new restart count is first seen; the back-off is what spaces them.
    const seenAt = new Map<number, number>();
    let sawBackOff = false;
    await waitForPod(s, 'looping', (p: PodView) => {
      const c = p.status?.containerStatuses?.[0];
      if (c !== undefined && !seenAt.has(c.restartCount)) seenAt.set(c.restartCount, Date.now());
      if (c?.state?.waiting?.reason === 'CrashLoopBackOff') sawBackOff = true;
      return (c?.restartCount ?? 0) >= 3;
    }, 90_000);
    expect(sawBackOff).toBe(true);
    const gap = (from: number, to: number) => (seenAt.get(to) ?? 0) - (seenAt.get(from) ?? 0);
    // 10 s then 20 s in kubelet; only the growth is asserted, not the seconds.
    expect(gap(2, 3)).toBeGreaterThan(gap(1, 2) * 1.4);
    const looping = await waitForPod(s, 'looping', () => true);
    expect(looping.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
  });
});
