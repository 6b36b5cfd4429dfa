import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { startEdgedSetup, waitForPod, webPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';

/*
 * Issue 6: `outpost image import FILE.tar --data-dir E` loads an image archive into an edge's own
 * containerd, for edges with no registry; a pod then runs that image with IfNotPresent, offline.
 */
let setup: EdgedSetup | undefined;
beforeAll(async () => {
  setup = await startEdgedSetup({ node: 'import-1' });
});
afterAll(async () => {
  await setup?.stop();
});

function ctr(socket: string, args: string[]): string {
  const result = spawnSync('ctr', ['-a', socket, '-n', 'k8s.io', ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ctr ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe('outpost image import', () => {
  it('loads an OCI archive into the edge\'s containerd, and a pod runs the image without a registry', async () => {
    const s = setup!;
    // The edge builds its own busybox image once its runtime is up: wait for a pod to run on it.
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', webPod('first', s.node))).status).toBe(201);
    await waitForPod(s, 'first', (p) => p.status?.phase === 'Running');

    // An archive of an image the edge does not have yet, made from busybox under a new name.
    const socket = containerdLayout(join(s.edgeDir, 'edges', s.node)).socket;
    const archive = join(tempDir('image-archive'), 'custom.tar');
    ctr(socket, ['images', 'tag', 'outpost.local/busybox:1', 'outpost.local/custom:7']);
    ctr(socket, ['images', 'export', archive, 'outpost.local/custom:7']);
    ctr(socket, ['images', 'rm', 'outpost.local/custom:7']);
    expect(ctr(socket, ['images', 'ls', '-q'])).not.toContain('outpost.local/custom:7');

    const imported = spawnSync(process.execPath, [OUTPOST_CLI, 'image', 'import', archive, '--data-dir', s.edgeDir], { encoding: 'utf8' });
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported outpost.local/custom:7');
    expect(ctr(socket, ['images', 'ls', '-q'])).toContain('outpost.local/custom:7');

    expect((await s.api('POST', '/api/v1/namespaces/default/pods', webPod('custom', s.node, { image: 'outpost.local/custom:7' }))).status).toBe(201);
    const pod = await waitForPod(s, 'custom', (p) => p.status?.phase === 'Running');
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBe(0);

    // Clear errors for what cannot be imported.
    const missing = spawnSync(process.execPath, [OUTPOST_CLI, 'image', 'import', join(tempDir('image-archive'), 'none.tar'), '--data-dir', s.edgeDir], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no such file');
    const noEdge = spawnSync(process.execPath, [OUTPOST_CLI, 'image', 'import', archive, '--data-dir', tempDir('no-edges')], { encoding: 'utf8' });
    expect(noEdge.status).toBe(1);
    expect(noEdge.stderr).toMatch(/no edge under .*edges/);
  });
});
