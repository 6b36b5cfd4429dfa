import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';

describe('outpost CLI', () => {
  it('`up` starts the cloud and a joined edge, says what to do next, and stops on Ctrl-C', async () => {
    const dataDir = tempDir('up');
    const child = spawn(process.execPath, [OUTPOST_CLI, 'up', '--data-dir', dataDir, '--api-port', '0', '--hub-port', '0', '--bootstrap-port', '0', '--metaserver-port', '0', '--bind-address', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('Press Ctrl-C to stop.')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`outpost up did not come up:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const kubeconfig = join(dataDir, 'cloud', 'admin.kubeconfig');
    expect(stdout).toContain(`export KUBECONFIG=${kubeconfig}`);
    const kubectl = createKubectl(kubeconfig);
    expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/default');
    // The edge joined with its own token and its Node reports Ready.
    const ready = await kubectl.ok(['wait', '--for=condition=Ready', 'node/edge-1', '--timeout=30s']);
    expect(ready).toContain('node/edge-1 condition met');
    const metaserver = /MetaServer (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(metaserver).toBeDefined();
    expect((await fetch(`${metaserver}/healthz`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('reports every problem of a bad config file at once and exits 1', () => {
    const file = join(tempDir('bad-config'), 'cloud.yaml');
    writeFileSync(file, 'apiVersion: outpost.dev/v1alpha1\nkind: CloudConfig\napiserver:\n  port: 99999\n  colour: blue\nlogLevel: loud\n');
    const result = spawnSync(process.execPath, [OUTPOST_CLI, 'cloud', '--config', file, '--data-dir', tempDir('unused')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apiserver.port');
    expect(result.stderr).toContain('apiserver');
    expect(result.stderr).toContain('logLevel');
  });

  it('rejects a bad port flag with a clear message', () => {
    const result = spawnSync(process.execPath, [OUTPOST_CLI, 'cloud', '--api-port', 'http'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('must be a port number from 0 to 65535');
  });
});
