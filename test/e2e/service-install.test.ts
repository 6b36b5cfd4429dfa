import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterCidrFor } from '../helpers/cluster-cidr.js';
import { bootstrapServer, cloudEndpoints, createToken, outpost } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';
import { environmentOf, execStartOf, verifyUnit } from '../helpers/systemd-unit.js';

/**
 * `outpost service install|uninstall` with the real CLI (docs/install.md): the files it writes,
 * their modes, `systemd-analyze verify` on them, and — as systemd would — the units' command lines
 * run with their environment files: a cloud comes up and an edge joins it with the token that
 * only the environment file holds. There is no systemd as PID 1 here, so nothing is enabled
 * (--no-systemctl keeps a test on a systemd host from enabling anything either).
 */
const TOKEN = `${'c'.repeat(64)}.abcdef.0123456789abcdef`;
const running: ChildProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
});

const modeOf = (file: string): number => statSync(file).mode & 0o777;

/** Runs a unit's ExecStart with its environment file, as systemd would, and keeps its output. */
function runUnit(unitFile: string, envFile: string): { child: ChildProcess; output: () => string } {
  const [program, ...args] = execStartOf(readFileSync(unitFile, 'utf8'));
  if (program === undefined) throw new Error(`${unitFile} has an empty ExecStart`);
  const child = spawn(program, args, { cwd: '/', env: { PATH: process.env.PATH ?? '', ...environmentOf(readFileSync(envFile, 'utf8')) }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

describe('outpost service install', () => {
  it('--dry-run prints the unit running this CLI and the environment file with the token masked, and writes nothing', async () => {
    const dir = tempDir('service-dry');
    const res = await outpost(['service', 'install', 'edge', '--dry-run', '--server', '192.0.2.1', '--token', TOKEN, '--node-name', 'pi-1', '--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'env')]);
    expect(res).toMatchObject({ code: 0 });
    expect(res.stdout).toContain(`# ${join(dir, 'units', 'outpost-edge.service')}`);
    expect(res.stdout).toContain(`ExecStart=${process.execPath} \\\n    ${realpathSync(OUTPOST_CLI)} \\\n    edge \\\n    --server=192.0.2.1 \\\n    --node-name=pi-1 \\\n    --data-dir=/var/lib/outpost\n`);
    expect(res.stdout).toContain(`OUTPOST_TOKEN=${'c'.repeat(64)}.abcdef.${'*'.repeat(16)}`);
    expect(res.stdout).not.toContain('0123456789abcdef');
    expect(existsSync(join(dir, 'units'))).toBe(false);
    expect(existsSync(join(dir, 'env'))).toBe(false);
  });

  it('a flag `outpost edge` or `outpost cloud` would refuse fails the install, and nothing is written', async () => {
    const dir = tempDir('service-bad');
    const where = ['--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'env'), '--no-systemctl'];
    const badPort = await outpost(['service', 'install', 'edge', '--node-name', 'pi-1', '--server', 'h', '--token', TOKEN, '--metaserver-port', 'abc', ...where]);
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain("option '--metaserver-port <port>' argument 'abc' is invalid");
    const badToken = await outpost(['service', 'install', 'edge', '--node-name', 'pi-1', '--server', 'h', '--token', 'nope', ...where]);
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).toContain('malformed join token');
    const noServer = await outpost(['service', 'install', 'edge', '--node-name', 'pi-1', '--token', TOKEN, ...where]);
    expect(noServer.stderr).toContain('has not joined yet');
    const badDuration = await outpost(['service', 'install', 'cloud', '--node-monitor-grace-period', '5x', ...where]);
    expect(badDuration.code).not.toBe(0);
    expect(badDuration.stderr).toContain('--node-monitor-grace-period');
    expect(existsSync(join(dir, 'units'))).toBe(false);
  });

  it('writes a cloud and an edge unit that systemd-analyze verifies, with 0600 environment files; their command lines bring up a cloud and a joined edge; uninstall removes them', async () => {
    const dir = tempDir('service');
    const dataDir = join(dir, 'data');
    const where = ['--unit-dir', join(dir, 'units'), '--env-dir', join(dir, 'env'), '--no-systemctl'];
    const secret = 'a-cluster-secret-of-the-test';
    const cloudFlags = ['--data-dir', dataDir, '--api-port', '0', '--bootstrap-port', '0', '--hub-port', '0', '--bind-address', '127.0.0.1', '--cluster-cidr', clusterCidrFor(dataDir), '--log-level', 'warn'];
    const cloudInstall = await outpost(['service', 'install', 'cloud', ...cloudFlags, ...where], 60_000, { OUTPOST_CLUSTER_SECRET: secret });
    expect(cloudInstall, cloudInstall.stderr).toMatchObject({ code: 0 });
    const cloudUnit = join(dir, 'units', 'outpost-cloud.service');
    const cloudEnv = join(dir, 'env', 'outpost-cloud');
    expect(cloudInstall.stdout).toContain(`wrote ${cloudUnit}`);
    expect(cloudInstall.stdout).toContain('--no-systemctl');
    expect(modeOf(cloudUnit)).toBe(0o644);
    expect(modeOf(cloudEnv)).toBe(0o600);
    expect(environmentOf(readFileSync(cloudEnv, 'utf8'))).toEqual({ OUTPOST_CLUSTER_SECRET: secret });
    expect(readFileSync(cloudUnit, 'utf8')).not.toContain(secret);
    expect(verifyUnit(cloudUnit)).toEqual({ status: 0, output: '' });

    // What systemd would start: the cloud, with the secret from its environment file.
    const cloud = runUnit(cloudUnit, cloudEnv);
    await waitFor(() => existsSync(join(dataDir, 'cloud', 'endpoints.json')) && cloudEndpoints(dataDir).pid === cloud.child.pid, {
      timeoutMs: 60_000,
      intervalMs: 50,
      description: () => `the cloud of ${cloudUnit} to be ready:\n${cloud.output()}`,
    });
    // It opened the cluster with the secret from the environment file, and keeps it (docs/identity.md § The cluster secret).
    expect(readFileSync(join(dataDir, 'cloud', 'cluster-secret'), 'utf8').trim()).toBe(secret);

    const token = await createToken(dataDir);
    const edgeFlags = ['--server', bootstrapServer(dataDir), '--token', token, '--node-name', 'svc-edge', '--data-dir', dataDir, '--no-pods', '--metaserver-port', '0', '--mqtt-port', '0', '--log-level', 'warn'];
    const edgeInstall = await outpost(['service', 'install', 'edge', ...edgeFlags, ...where]);
    expect(edgeInstall, edgeInstall.stderr).toMatchObject({ code: 0 });
    const edgeUnit = join(dir, 'units', 'outpost-edge.service');
    const edgeEnv = join(dir, 'env', 'outpost-edge');
    expect(modeOf(edgeEnv)).toBe(0o600);
    expect(environmentOf(readFileSync(edgeEnv, 'utf8'))).toEqual({ OUTPOST_TOKEN: token });
    const unitText = readFileSync(edgeUnit, 'utf8');
    expect(unitText).not.toContain(token); // the unit is world-readable and its command line shows in ps
    for (const line of ['KillMode=process', 'Delegate=yes', 'Restart=always', 'Type=exec']) expect(unitText.split('\n')).toContain(line);
    expect(verifyUnit(edgeUnit)).toEqual({ status: 0, output: '' });

    // What systemd would start: the edge joins with the token from its environment file.
    const edge = runUnit(edgeUnit, edgeEnv);
    const kubectl = createKubectl(join(dataDir, 'cloud', 'admin.kubeconfig'));
    const ready = await kubectl(['wait', '--for=condition=Ready', 'node/svc-edge', '--timeout=5s']);
    await waitFor(async () => (await kubectl(['wait', '--for=condition=Ready', 'node/svc-edge', '--timeout=5s'])).code === 0, {
      timeoutMs: 60_000,
      description: () => `node svc-edge to be Ready (first answer: ${ready.stderr}); the edge's output:\n${edge.output()}`,
    });

    const removedEdge = await outpost(['service', 'uninstall', 'edge', ...where]);
    expect(removedEdge.stdout).toContain(`removed ${edgeUnit}`);
    expect(removedEdge.stdout).toContain(`removed ${edgeEnv}`);
    const removedCloud = await outpost(['service', 'uninstall', 'cloud', ...where]);
    expect(removedCloud).toMatchObject({ code: 0 });
    expect([edgeUnit, edgeEnv, cloudUnit, cloudEnv].filter((f) => existsSync(f))).toEqual([]);
    expect((await outpost(['service', 'uninstall', 'cloud', ...where])).stdout).toContain('was not installed');
  });
});
