import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestRuntime } from '../helpers/containerd-runtime.js';
import { runCommand } from '../../edgecore/edged/run-command.js';

describe('test runtime helper', () => {
  it('starts containerd with both local images and cleans up completely', async () => {
    const runtime = await startTestRuntime();
    try {
      expect(runtime.endpoint).toBe(`unix://${runtime.socket}`);
      const images = await runCommand('ctr', ['-a', runtime.socket, '-n', 'k8s.io', 'images', 'ls', '-q']);
      expect(images.ok && images.value.stdout.split('\n')).toEqual(expect.arrayContaining(['outpost.local/busybox:1', 'outpost.local/pause:1']));
    } finally {
      await runtime.stop();
    }
    expect(runtime.containerd.state()).toBe('stopped');
    expect(existsSync(runtime.edgeDir)).toBe(false);
  });
});
