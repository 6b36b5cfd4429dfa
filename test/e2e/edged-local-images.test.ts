import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, TEST_IMAGE_CACHE, type TestRuntime } from '../helpers/containerd-runtime.js';
import { buildLocalImages, BUSYBOX_IMAGE, importImageArchive, PAUSE_IMAGE } from '../../edgecore/edged/images/index.js';
import { runCommand } from '../../edgecore/edged/run-command.js';
import { waitFor } from '../helpers/poll.js';

let rt: TestRuntime;
let scratch: string;
beforeAll(async () => {
  rt = await startTestRuntime();
  scratch = mkdtempSync(join(tmpdir(), 'outpost-images-test-'));
});
afterAll(async () => {
  try {
    await rt?.stop();
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
});

const ctr = (args: string[]) => runCommand('ctr', ['-a', rt.socket, '-n', 'k8s.io', ...args], { timeoutMs: 60_000 });
/** ctr run's containers use the edge's runc root, like the CRI plugin's. */
const runFlags = () => ['--runc-root', rt.containerd.layout.runcRoot];

async function images(): Promise<string[]> {
  const listed = await ctr(['images', 'ls', '-q']);
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.stdout.split('\n').filter((l) => l !== '');
}

/** An OCI archive like `archive` whose index.json is rewritten by `edit`. */
function rewrittenArchive(archive: string, name: string, edit: (index: { manifests: { annotations?: Record<string, string> }[] }) => void): Promise<string> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return (async () => {
    const extracted = await runCommand('tar', ['-xf', archive, '-C', dir]);
    if (!extracted.ok) throw new Error(extracted.message);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
    edit(index);
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    const out = join(scratch, `${name}.tar`);
    const packed = await runCommand('tar', ['-cf', out, '-C', dir, '.']);
    if (!packed.ok) throw new Error(packed.message);
    return out;
  })();
}

describe('local images', () => {
  it('builds once and reuses the cached archives', async () => {
    const first = await buildLocalImages(TEST_IMAGE_CACHE);
    const second = await buildLocalImages(TEST_IMAGE_CACHE);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.value).toEqual(first.value);
    expect(statSync(second.value.busybox).mtimeMs).toBe(statSync(first.value.busybox).mtimeMs);
    expect(readdirSync(TEST_IMAGE_CACHE).filter((f) => f.startsWith('.build-'))).toEqual([]);
  });

  it('imports both images under their exact names', async () => {
    expect(await images()).toEqual(expect.arrayContaining([BUSYBOX_IMAGE, PAUSE_IMAGE]));
    const archives = await buildLocalImages(TEST_IMAGE_CACHE);
    if (!archives.ok) throw new Error(archives.message);
    const again = await importImageArchive(rt.socket, archives.value.busybox);
    expect(again).toEqual({ ok: true, value: [BUSYBOX_IMAGE] });
  });

  it('busybox runs shell commands and applets', async () => {
    const run = await ctr(['run', '--rm', ...runFlags(), BUSYBOX_IMAGE, 'bb-sh', 'sh', '-c', 'echo hello from $(basename $(readlink /bin/sh)); which httpd wget']);
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    expect(run.value.stdout).toContain('hello from busybox');
    expect(run.value.stdout).toMatch(/httpd/);
  });

  it('the pause image exits 0 on SIGTERM', async () => {
    const child = spawn('ctr', ['-a', rt.socket, '-n', 'k8s.io', 'run', '--rm', ...runFlags(), PAUSE_IMAGE, 'pause-term'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(
        async () => {
          const tasks = await ctr(['tasks', 'ls']);
          return tasks.ok && /pause-term\s+\d+\s+RUNNING/.test(tasks.value.stdout);
        },
        { timeoutMs: 30_000, intervalMs: 50, description: 'the pause container to run' },
      );
      // The shell's trap runs once the signal arrives, even while `wait` blocks.
      const killed = await ctr(['tasks', 'kill', '-s', 'SIGTERM', 'pause-term']);
      expect(killed.ok).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('imports an OCI archive whose ref name is a full reference', async () => {
    const archives = await buildLocalImages(TEST_IMAGE_CACHE);
    if (!archives.ok) throw new Error(archives.message);
    const archive = await rewrittenArchive(archives.value.busybox, 'full-ref', (index) => {
      for (const m of index.manifests) m.annotations = { 'org.opencontainers.image.ref.name': 'outpost.local/other:2' };
    });
    expect(await importImageArchive(rt.socket, archive)).toEqual({ ok: true, value: ['outpost.local/other:2'] });
    expect(await images()).toContain('outpost.local/other:2');
  });

  it('imports a docker archive named by its RepoTags', async () => {
    const archives = await buildLocalImages(TEST_IMAGE_CACHE);
    if (!archives.ok) throw new Error(archives.message);
    const dir = join(scratch, 'docker');
    mkdirSync(dir, { recursive: true });
    const extracted = await runCommand('tar', ['-xf', archives.value.busybox, '-C', dir]);
    if (!extracted.ok) throw new Error(extracted.message);
    const blob = (digest: string) => join('blobs', ...digest.split(':'));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(join(dir, blob(index.manifests[0]?.digest ?? '')), 'utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    // docker save's layout: manifest.json naming the config and layer files, no index.json.
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: blob(manifest.config.digest), RepoTags: ['outpost.local/docker-saved:3'], Layers: manifest.layers.map((l) => blob(l.digest)) }]));
    rmSync(join(dir, 'index.json'));
    rmSync(join(dir, 'oci-layout'));
    const archive = join(scratch, 'docker.tar');
    const packed = await runCommand('tar', ['-cf', archive, '-C', dir, 'manifest.json', 'blobs']);
    if (!packed.ok) throw new Error(packed.message);
    expect(await importImageArchive(rt.socket, archive)).toEqual({ ok: true, value: ['outpost.local/docker-saved:3'] });
  });

  it('refuses an archive whose images have only a tag, or that is no archive', async () => {
    const archives = await buildLocalImages(TEST_IMAGE_CACHE);
    if (!archives.ok) throw new Error(archives.message);
    const tagOnly = await rewrittenArchive(archives.value.busybox, 'tag-only', (index) => {
      for (const m of index.manifests) m.annotations = { 'org.opencontainers.image.ref.name': 'latest' };
    });
    const result = await importImageArchive(rt.socket, tagOnly);
    expect(result.ok === false && result.code).toBe('Invalid');
    const junk = join(scratch, 'junk.tar');
    writeFileSync(junk, 'not a tar');
    const junkResult = await importImageArchive(rt.socket, junk);
    expect(junkResult.ok === false && junkResult.code).toBe('Invalid');
    expect((await images()).some((name) => name.startsWith('import-'))).toBe(false);
  });
});
