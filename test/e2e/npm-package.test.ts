import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterCidrFor } from '../helpers/cluster-cidr.js';
import { createKubectl } from '../helpers/kubectl.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

/**
 * `npm pack` and `npm install -g` of its tarball, as on a second machine (docs/install.md
 * § Installing Outpost): the tarball holds what the CLI reads at run time and nothing of the
 * repository's tests or data, and the installed `outpost` on PATH runs a cloud. The install takes
 * the dependencies from npm's cache (filled by `npm ci`); better-sqlite3 compiles from source,
 * which takes minutes.
 */
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function run(program: string, args: string[], options: { cwd?: string; timeoutMs: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PATH } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

interface PackedFile {
  path: string;
  mode: number;
}

describe('the npm package', () => {
  it('npm install -g of a built clone links the clone: outpost on PATH runs the clone\'s dist/', async () => {
    // This checkout is such a clone (npm test built it); no script runs, and npm only links it.
    const prefix = join(tempDir('npm-link'), 'prefix');
    const linked = await run('npm', ['install', '-g', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', REPO_ROOT], { timeoutMs: 120_000 });
    expect(linked, `${linked.stdout}\n${linked.stderr}`).toMatchObject({ code: 0 });
    expect(realpathSync(join(prefix, 'lib', 'node_modules', 'outpost'))).toBe(realpathSync(REPO_ROOT));
    const outpost = join(prefix, 'bin', 'outpost');
    const dryRun = await run(outpost, ['service', 'install', 'cloud', '--dry-run'], { timeoutMs: 60_000 });
    expect(dryRun, dryRun.stderr).toMatchObject({ code: 0 });
    expect(dryRun.stdout).toContain(`ExecStart=${process.execPath} \\\n    ${realpathSync(join(REPO_ROOT, 'dist', 'cli', 'outpost.js'))} \\\n    cloud`);
  });

  it('packs the built CLI and what it reads at run time, installs with npm install -g, and the installed outpost runs a cloud', async () => {
    const dir = tempDir('npm-package');
    // The build is npm test's own (pretest); prepack, which builds, is not run again here.
    const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    expect(packed, packed.stderr).toMatchObject({ code: 0 });
    const [pack] = JSON.parse(packed.stdout) as { filename: string; files: PackedFile[] }[];
    if (pack === undefined) throw new Error(`npm pack printed no package: ${packed.stdout}`);
    const files = new Map(pack.files.map((f) => [f.path, f.mode]));
    for (const needed of [
      'package.json', 'README.md', 'docs/install.md', 'scripts/ensure-system-packages.mjs',
      'dist/cli/outpost.js', 'dist/cli/service-command.js', 'dist/cloudcore/main.js', 'dist/edgecore/main.js',
      'dist/examples/thermostat-mapper/main.js', 'examples/thermostat-mapper/device.yaml', 'edgecore/edged/cri/runtime-v1.proto',
    ]) expect(files.has(needed), needed).toBe(true);
    expect((files.get('dist/cli/outpost.js') ?? 0) & 0o111).not.toBe(0);
    const unwanted = [...files.keys()].filter((p) => /^(test|node_modules|\.outpost|dist\/bench|dist\/test)\/|\.test\.js$|\.map$|(?<!\.d)\.ts$/.test(p));
    expect(unwanted).toEqual([]);
    expect(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).toMatch(/"prepack": "npm run build"/);

    const prefix = join(dir, 'prefix');
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, pack.filename)], { timeoutMs: 15 * 60_000 });
    expect(installed, `${installed.stdout}\n${installed.stderr}`).toMatchObject({ code: 0 });
    const outpost = join(prefix, 'bin', 'outpost');
    const help = await run(outpost, ['--help'], { timeoutMs: 60_000 });
    expect(help, help.stderr).toMatchObject({ code: 0 });
    for (const command of ['up', 'cloud', 'edge', 'token', 'service']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));

    // A unit written by the installed CLI runs the installed CLI.
    const packageDir = join(prefix, 'lib', 'node_modules', 'outpost');
    const dryRun = await run(outpost, ['service', 'install', 'edge', '--dry-run', '--node-name', 'pi-1', '--server', '192.0.2.1', '--token', `${'d'.repeat(64)}.abcdef.0123456789abcdef`], { timeoutMs: 60_000 });
    expect(dryRun, dryRun.stderr).toMatchObject({ code: 0 });
    expect(dryRun.stdout).toContain(`ExecStart=${process.execPath} \\\n    ${realpathSync(join(packageDir, 'dist', 'cli', 'outpost.js'))} \\\n    edge`);
    // Files read at run time relative to the compiled code are where it looks for them.
    const proto = await run(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(join(packageDir, 'dist', 'edgecore', 'edged', 'cri', 'runtime-proto.js'))}).then((m) => console.log(m.findRuntimeProto()))`], { timeoutMs: 60_000 });
    expect(proto.stdout.trim()).toBe(join(realpathSync(packageDir), 'edgecore', 'edged', 'cri', 'runtime-v1.proto'));
    expect(existsSync(join(packageDir, 'examples', 'thermostat-mapper', 'device.yaml'))).toBe(true);

    // The installed cloud runs on its installed dependencies (better-sqlite3 built by the install).
    const dataDir = join(dir, 'data');
    const cloud = spawn(outpost, ['cloud', '--data-dir', dataDir, '--api-port', '0', '--bootstrap-port', '0', '--hub-port', '0', '--bind-address', '127.0.0.1', '--cluster-cidr', clusterCidrFor(dataDir), '--log-level', 'warn'], { env: { ...process.env, PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    cloud.stdout.on('data', (d: Buffer) => (output += d.toString()));
    cloud.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => cloud.once('exit', () => resolve()));
    cleanups.push(async () => {
      if (cloud.exitCode === null && cloud.signalCode === null) cloud.kill('SIGTERM');
      await exited;
    });
    const endpoints = join(dataDir, 'cloud', 'endpoints.json');
    await waitFor(() => existsSync(endpoints) && (JSON.parse(readFileSync(endpoints, 'utf8')) as { pid?: number }).pid === cloud.pid, {
      timeoutMs: 60_000,
      intervalMs: 50,
      description: () => `the installed cloud to be ready:\n${output}`,
    });
    const kubectl = createKubectl(join(dataDir, 'cloud', 'admin.kubeconfig'));
    expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/default');
  }, 20 * 60_000);
});
