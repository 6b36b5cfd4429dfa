/**
 * The first hour's config and join (docs/configuration.md): `outpost cloud --print-default-config`
 * is a file a real cloud starts from; a bad file lists every problem at once without a stack
 * trace; `outpost token create` prints the join command with the address another machine
 * reaches, and that command, run literally by a shell, joins an edge whose Node turns Ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstNonLoopbackAddress } from '../../cloudcore/hubaddresses/index.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { outpost } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

let cloud: CloudProcess;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const printed = await outpost(['cloud', '--print-default-config']);
  expect(printed.code).toBe(0);
  const file = join(tempDir('printed-config'), 'cloud.yaml');
  writeFileSync(file, printed.stdout);
  // The printed file as is, the test's own ports and folder as flags on top; every address, so
  // the join command names this machine's address rather than loopback.
  cloud = await startCloud({ args: ['--config', file, '--bind-address', '0.0.0.0'] });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cloud?.stop();
});

describe('a config file with problems', () => {
  it('lists every problem at once with its field path and line, and exits 1 without a stack trace', async () => {
    const file = join(tempDir('bad-config'), 'cloud.yaml');
    writeFileSync(file, 'apiserver:\n  port: 70000\n  colour: blue\ncontrollers:\n  clusterCidr: 10.42.0.1/16\nlogLevel: loud\n');
    const res = await outpost(['cloud', '--config', file, '--data-dir', tempDir('bad-config-data')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file} is invalid (4 problems)`);
    expect(res.stderr).toContain('apiserver.port: must be 65535 or less (line 2)');
    expect(res.stderr).toContain('apiserver.colour: unknown field');
    expect(res.stderr).toMatch(/controllers\.clusterCidr: .*host bits set.* \(line 5\)/);
    expect(res.stderr).toContain('logLevel: must be one of fatal, error, warn, info, debug, trace, silent (line 6)');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('names each YAML syntax error with its line and column', async () => {
    const file = join(tempDir('bad-yaml'), 'edge.yaml');
    writeFileSync(file, 'nodeName: a\nmqtt:\n  port: [1883\n');
    const res = await outpost(['edge', '--config', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`${file} is not valid YAML:\\n  line \\d+, column \\d+: `));
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('outpost token create', () => {
  it('prints the token alone for scripts with -o token or --print-token-only', async () => {
    for (const flag of [['-o', 'token'], ['--print-token-only']]) {
      const res = await outpost(['token', 'create', '--data-dir', cloud.dataDir, ...flag]);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^[0-9a-f]{64}\.[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
    }
  });

  it('prints a join command with the cloud\'s real join address that, run as printed, joins the edge', { timeout: 120_000 }, async () => {
    const res = await outpost(['token', 'create', '--data-dir', cloud.dataDir]);
    expect(res.code).toBe(0);
    const command = res.stdout.trim();
    const match = /^outpost edge --server (\S+):(\d+) --token \S+ --node-name "\$\(hostname \| tr A-Z a-z\)"$/.exec(command);
    expect(match, command).not.toBeNull();
    // This machine's address as another machine reaches it, and the join endpoint's bound port.
    expect(match?.[1]).toBe(firstNonLoopbackAddress() ?? hostname());
    const endpoints = JSON.parse(readFileSync(join(cloud.dataDir, 'cloud', 'endpoints.json'), 'utf8')) as { bootstrap: string };
    expect(endpoints.bootstrap).toMatch(new RegExp(`:${match?.[2]}$`));

    // `outpost` on PATH, as after npm install -g; the command literally, plus a metadata-only edge in a temp folder.
    const bin = tempDir('bin');
    writeFileSync(join(bin, 'outpost'), `#!/bin/sh\nexec "${process.execPath}" "${OUTPOST_CLI}" "$@"\n`);
    chmodSync(join(bin, 'outpost'), 0o755);
    const edgeDir = tempDir('joined-edge');
    const edge = spawn('/bin/sh', ['-c', `exec ${command} --data-dir ${edgeDir} --no-pods --metaserver-port 0 --mqtt-port 0 --log-level warn`], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(edge);
    let output = '';
    edge.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    edge.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    const node = hostname().toLowerCase();
    const kubectl = createKubectl(cloud.kubeconfig);
    await waitFor(
      async () => (await kubectl(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True',
      { timeoutMs: 60_000, description: () => `Node ${node} Ready; the edge's output:\n${output}` },
    );
    edge.kill('SIGTERM');
    expect(await new Promise((resolve) => edge.once('exit', resolve))).toBe(0);
  });
});
