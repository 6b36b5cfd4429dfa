import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/containerd-runtime.js';
import { silentLogger } from '../../shared/logging.js';
import { processCommandLine } from '../../edgecore/edged/containerd/containerd-process.js';
import { createEmbeddedContainerd, type EmbeddedContainerd } from '../../edgecore/edged/containerd/embedded-containerd.js';
import { runCommand } from '../../edgecore/edged/run-command.js';
import { waitFor as poll } from '../helpers/poll.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function runtime(options: { edgeDir?: string } = {}): Promise<TestRuntime> {
  const started = await startTestRuntime(options);
  cleanups.push(() => started.stop());
  return started;
}

/** Every live process whose command line mentions `text` (our config path or socket). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => processCommandLine(Number(entry))?.some((arg) => arg.includes(text)) === true)
    .map(Number);
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await poll(condition, { timeoutMs, intervalMs: 50, description: what });
}

function supervisor(edgeDir: string, podCidr: string, extra: Partial<Parameters<typeof createEmbeddedContainerd>[0]> = {}): EmbeddedContainerd {
  return createEmbeddedContainerd({ edgeDir, podCidr, pauseImage: 'outpost.local/pause:1', logger: silentLogger(), restartBackoffMs: 100, ...extra });
}

describe('embedded containerd', () => {
  it('restarts containerd after kill -9 and tells its listeners', async () => {
    const rt = await runtime();
    const first = rt.containerd.pid();
    expect(first).toBeDefined();
    let restarts = 0;
    rt.containerd.onRestart(() => restarts++);
    process.kill(first ?? 0, 'SIGKILL');
    await waitUntil(() => restarts === 1 && rt.containerd.state() === 'running', 'the restart');
    expect(rt.containerd.pid()).not.toBe(first);
    const version = await runCommand('ctr', ['-a', rt.socket, 'version']);
    expect(version.ok).toBe(true);
    // The image store survived: same root.
    const images = await runCommand('ctr', ['-a', rt.socket, '-n', 'k8s.io', 'images', 'ls', '-q']);
    expect(images.ok && images.value.stdout).toContain('outpost.local/busybox:1');
    // Both runs logged to the edge's log file.
    const booted = readFileSync(rt.containerd.layout.logFile, 'utf8').match(/containerd successfully booted/g) ?? [];
    expect(booted.length).toBeGreaterThanOrEqual(2);
  });

  it('adopts a containerd left running on its socket instead of starting a second one', async () => {
    const rt = await runtime();
    const pid = rt.containerd.pid();
    await rt.containerd.stop(); // leaves it running, as edgecore does on SIGTERM
    expect(processCommandLine(pid ?? 0)).toBeDefined();
    // Detached: its own session and process group, so it outlives edgecore and its terminal.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgrp)).toBe(pid);
    expect(Number(session)).toBe(pid);

    const second = supervisor(rt.edgeDir, rt.podCidr);
    cleanups.push(() => second.terminate());
    await second.start(AbortSignal.timeout(30_000));
    expect(second.state()).toBe('running');
    expect(second.pid()).toBe(pid);
    expect(processesMentioning(rt.containerd.layout.configFile)).toEqual([pid]);

    // The adopted one is not our child, yet its death is still noticed and repaired.
    let restarted = false;
    second.onRestart(() => (restarted = true));
    process.kill(pid ?? 0, 'SIGKILL');
    await waitUntil(() => restarted && second.state() === 'running', 'the restart of the adopted containerd');
    expect(second.pid()).not.toBe(pid);
    expect(processesMentioning(rt.containerd.layout.configFile)).toEqual([second.pid()]);
  });

  it('replaces a running containerd that loaded an older config, and stops it on exit when asked', async () => {
    const rt = await runtime();
    const pid = rt.containerd.pid();
    await rt.containerd.stop();
    const changed = supervisor(rt.edgeDir, rt.podCidr, { pauseImage: 'outpost.local/pause:2', stopOnExit: true });
    cleanups.push(() => changed.terminate());
    await changed.start(AbortSignal.timeout(30_000));
    expect(changed.pid()).not.toBe(pid);
    expect(processesMentioning(rt.containerd.layout.configFile)).toEqual([changed.pid()]);
    await changed.stop();
    expect(changed.state()).toBe('stopped');
    expect(processesMentioning(rt.containerd.layout.configFile)).toEqual([]);
  });

  it('runs two edges side by side with their own sockets and bridges', async () => {
    const [a, b] = await Promise.all([runtime(), runtime()]);
    expect(a.socket).not.toBe(b.socket);
    expect(a.containerd.layout.bridgeName).not.toBe(b.containerd.layout.bridgeName);
    expect(a.podCidr).not.toBe(b.podCidr);
    expect(a.containerd.pid()).not.toBe(b.containerd.pid());
    for (const rt of [a, b]) expect((await runCommand('ctr', ['-a', rt.socket, 'version'])).ok).toBe(true);
  });

  it('gets a working socket from a deep folder, in a short private folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'outpost-deep-'));
    cleanups.push(async () => rmSync(base, { recursive: true, force: true }));
    const edgeDir = join(base, 'a'.repeat(60), 'b'.repeat(40), 'edges', 'node-1');
    expect(edgeDir.length).toBeGreaterThan(120);
    const rt = await runtime({ edgeDir });
    expect(rt.socket.startsWith('/run/outpost/')).toBe(true);
    expect(statSync(dirname(rt.socket)).mode & 0o777).toBe(0o700);
    // Overlay mounts and runc state under the deep root work too.
    const run = await runCommand('ctr', ['-a', rt.socket, '-n', 'k8s.io', 'run', '--rm', '--runc-root', rt.containerd.layout.runcRoot, 'outpost.local/busybox:1', 'deep-run', 'sh', '-c', 'echo deep ok']);
    expect(run.ok && run.value.stdout).toContain('deep ok');
    await rt.stop();
    expect(existsSync(dirname(rt.socket))).toBe(false);
  });

  it('full cleanup leaves no process of ours', async () => {
    const rt = await runtime();
    const config = rt.containerd.layout.configFile;
    expect(processesMentioning(config)).toHaveLength(1);
    await rt.stop();
    expect(processesMentioning(config)).toEqual([]);
    expect(processesMentioning(rt.socket)).toEqual([]);
    expect(rt.containerd.state()).toBe('stopped');
  });

  it('fails to start with the tail of containerd’s log', async () => {
    const base = mkdtempSync(join(tmpdir(), 'outpost-badctrd-'));
    cleanups.push(async () => rmSync(base, { recursive: true, force: true }));
    const fake = join(base, 'containerd');
    writeFileSync(fake, '#!/bin/sh\necho "level=fatal msg=\\"cannot open the store\\"" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const edgeDir = join(base, 'edges', 'node-1');
    mkdirSync(edgeDir, { recursive: true });
    const bad = supervisor(edgeDir, '10.201.254.0/24', { containerdBinary: fake });
    await expect(bad.start(AbortSignal.timeout(30_000))).rejects.toThrow(/exited during start[\s\S]*cannot open the store/);
    expect(bad.state()).toBe('failed');
  });

  it('refuses a bad pod CIDR before starting anything', async () => {
    const base = mkdtempSync(join(tmpdir(), 'outpost-badcidr-'));
    cleanups.push(async () => rmSync(base, { recursive: true, force: true }));
    const bad = supervisor(join(base, 'edges', 'n'), 'not-a-cidr');
    await expect(bad.start(AbortSignal.timeout(30_000))).rejects.toThrow(/not an IPv4 CIDR/);
    expect(processesMentioning(join(base, 'edges'))).toEqual([]);
  });
});
