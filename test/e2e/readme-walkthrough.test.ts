/**
 * README.md's walk-through, run command block by command block, so it cannot go stale
 * (docs/readme-walkthrough.md): a real cloudcore and edgecore started as a user starts them in two
 * terminals, real kubectl 1.32, real mosquitto clients, Ctrl-C as SIGINT. The whole walk-through
 * runs in a network namespace of its own, so the README keeps the default ports.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { kubectlBinary } from '../helpers/kubectl.js';
import { OUTPOST_CLI, REPO_ROOT, tempDir } from '../helpers/paths.js';
import { parseWalkthrough, type WalkthroughStep } from '../helpers/readme-walkthrough.js';
import { createNetns, createWalkthroughShell, deleteNetns, type WalkthroughShell } from '../helpers/walkthrough-shell.js';

const steps = parseWalkthrough(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
const netns = `outpost-readme-${process.pid}`;

describe('README walk-through', () => {
  const root = tempDir('readme');
  const workDir = join(root, 'clone');
  let shell: WalkthroughShell | undefined;
  let failedAt: string | undefined;

  beforeAll(() => {
    mkdirSync(workDir);
    mkdirSync(join(root, 'plumbing'));
    // The user runs the walk-through in their clone: the examples it applies are the clone's.
    symlinkSync(join(REPO_ROOT, 'examples'), join(workDir, 'examples'));
    // `kubectl` is kubectl 1.32 and `outpost` the built CLI, as after `npm install -g`.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    symlinkSync(kubectlBinary('1.32'), join(bin, 'kubectl'));
    writeFileSync(join(bin, 'outpost'), `#!/bin/sh\nexec '${process.execPath}' '${OUTPOST_CLI}' "$@"\n`, { mode: 0o755 });
    createNetns(netns);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: join(root, 'home') };
    delete env.KUBECONFIG;
    shell = createWalkthroughShell({ netns, workDir, plumbingDir: join(root, 'plumbing'), env });
  });

  afterAll(async () => {
    try {
      if (shell === undefined) return;
      await shell.close();
      // A walk-through that failed midway leaves its edge's pods and containerd running: stop them,
      // and keep the folder, whose logs the failure names. One that ran through ended with its own reset.
      if (failedAt === undefined) {
        rmSync(root, { recursive: true, force: true });
        return;
      }
      for (const entry of readdirSync(workDir)) {
        if (existsSync(join(workDir, entry, 'edges'))) await shell.run(`outpost reset --data-dir '${join(workDir, entry)}'`, 120_000);
      }
    } finally {
      deleteNetns(netns);
    }
  }, 300_000);

  it('has steps to run', () => {
    if (!steps.some((s) => s.kind === 'background') || !steps.some((s) => s.kind === 'stop')) throw new Error('README.md has no walk-through markers');
  });

  for (const step of steps) {
    it(describeStep(step), async () => {
      if (failedAt !== undefined) throw new Error(`not run: ${failedAt} failed`);
      try {
        if (shell === undefined) throw new Error('the walk-through shell did not start');
        await runStep(shell, step);
      } catch (err) {
        failedAt = `README.md:${step.line}`;
        throw err;
      }
    }, 600_000);
  }
});

async function runStep(shell: WalkthroughShell, step: WalkthroughStep): Promise<void> {
  if (step.kind === 'run') {
    const result = await shell.run(step.script);
    if (result.code !== 0) {
      throw new Error(`README.md:${step.line} exited with ${result.code}\n--- block ---\n${step.script}\n--- output ---\n${result.output}\n${shell.backgroundLogs()}`);
    }
    return;
  }
  if (step.kind === 'background') {
    shell.startBackground(step.name, step.script);
    if (step.until !== undefined) {
      try {
        await shell.waitReady(step.name, step.until, 240_000);
      } catch (err) {
        throw new Error(`README.md:${step.line}: ${(err as Error).message}\n--- block ---\n${step.script}\n${shell.backgroundLogs()}`);
      }
    }
    return;
  }
  const code = await shell.stop(step.name, 60_000);
  // Ctrl-C is a clean stop: the process handles SIGINT and exits 0, or dies of it (130).
  if (code !== 0 && code !== 130) throw new Error(`README.md:${step.line}: ${step.name} exited with ${code} after Ctrl-C\n${shell.backgroundLogs()}`);
}

function describeStep(step: WalkthroughStep): string {
  if (step.kind === 'stop') return `README.md:${step.line} Ctrl-C ${step.name}`;
  const first = step.script.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return `README.md:${step.line} ${step.kind === 'background' ? `${step.name}: ` : ''}${first.trim().slice(0, 80)}`;
}
