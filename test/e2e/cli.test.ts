import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { containerdPidsOf, fetchBody, serves, waitForBody } from '../helpers/edged-e2e.js';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor as poll } from '../helpers/poll.js';

describe('outpost CLI', () => {
  it('`up` starts the cloud and a joined edge that runs the demo pod, says what to do next, stops on Ctrl-C leaving the pod running; `reset` stops it', async () => {
    const dataDir = tempDir('up');
    // Its own cluster range: edges of other test files may run on this machine at the same time.
    const child = spawn(
      process.execPath,
      [OUTPOST_CLI, 'up', '--data-dir', dataDir, '--api-port', '0', '--hub-port', '0', '--bootstrap-port', '0', '--metaserver-port', '0', '--mqtt-port', '0', '--bind-address', '127.0.0.1', '--cluster-cidr', '10.63.0.0/16'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let resetDone = false;
    try {
      // `outpost up` exiting before it is up ends the wait at once.
      const exitedEarly = new AbortController();
      void exited.then(() => exitedEarly.abort(new Error(`outpost up did not come up:\n${stdout}\n${stderr}`)));
      await poll(() => stdout.includes('Press Ctrl-C to stop.'), {
        timeoutMs: 60_000,
        intervalMs: 50,
        description: () => `outpost up to come up:\n${stdout}\n${stderr}`,
        signal: exitedEarly.signal,
      });
      const kubeconfig = join(dataDir, 'cloud', 'admin.kubeconfig');
      expect(stdout).toContain(`export KUBECONFIG=${kubeconfig}`);
      expect(stdout).toContain(`outpost reset --data-dir ${dataDir}`);
      const kubectl = createKubectl(kubeconfig);
      expect(await kubectl.ok(['get', 'namespaces', '-o', 'name'])).toContain('namespace/default');
      // The edge joined with its own token and its Node reports Ready.
      const ready = await kubectl.ok(['wait', '--for=condition=Ready', 'node/edge-1', '--timeout=30s']);
      expect(ready).toContain('node/edge-1 condition met');
      const metaserver = /MetaServer (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(metaserver).toBeDefined();
      expect((await fetch(`${metaserver}/healthz`)).status).toBe(200);

      // The demo pod runs on edge-1 (its first pod: containerd starts and the images are built first).
      let phase = '';
      await waitFor(async () => {
        phase = (await kubectl(['get', 'pod', 'hello-edge', '-o', 'jsonpath={.status.phase}'])).stdout;
        return phase === 'Running';
      }, 90_000, () => `hello-edge is ${JSON.stringify(phase)}:\n${stderr.slice(-4000)}`);
      const podIP = await kubectl.ok(['get', 'pod', 'hello-edge', '-o', 'jsonpath={.status.podIP}']);
      expect(podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const url = `http://${podIP}:8080/`;
      const text = 'Hello from Outpost edge node edge-1';
      expect(await waitForBody(url, text)).toContain(`${text} (pod hello-edge)`);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      // Pods outlive the agent, as they outlive kubelet.
      expect(await fetchBody(url)).toMatchObject({ body: expect.stringContaining(text) });

      const reset = spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', dataDir], { encoding: 'utf8', timeout: 120_000 });
      resetDone = true;
      expect(reset.status, reset.stderr).toBe(0);
      expect(reset.stdout).toContain('edge-1: pods and containerd stopped');
      expect(await serves(url, text)).toBe(false);
      expect(containerdPidsOf(join(dataDir, 'edges', 'edge-1'))).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      if (!resetDone) spawnSync(process.execPath, [OUTPOST_CLI, 'reset', '--data-dir', dataDir], { encoding: 'utf8', timeout: 120_000 });
    }
  }, 240_000);

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
