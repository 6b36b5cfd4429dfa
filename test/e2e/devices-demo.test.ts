/**
 * `outpost up`'s demo runs the example thermostat (issue 13): it applies
 * examples/thermostat-mapper/device.yaml and runs the mapper against edge-1's embedded broker, so
 * the thermostat's reports reach DeviceStatus and a set-point patched with kubectl reaches it.
 * Edges run no pods here (--no-pods): the demo apps are outpost-up.test.ts' business.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKubectl } from '../helpers/kubectl.js';
import { OUTPOST_CLI, tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

describe('outpost up', () => {
  it('runs the demo thermostat: its reports reach DeviceStatus and it applies a set-point patched with kubectl', async () => {
    const dataDir = tempDir('up-devices');
    const child = spawn(
      process.execPath,
      [OUTPOST_CLI, 'up', '--data-dir', dataDir, '--api-port', '0', '--hub-port', '0', '--bootstrap-port', '0', '--metaserver-port', '0', '--mqtt-port', '0', '--no-pods', '--bind-address', '127.0.0.1', '--cluster-cidr', '10.62.0.0/16'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const exitedEarly = new AbortController();
      void exited.then(() => exitedEarly.abort(new Error(`outpost up did not come up:\n${stdout}\n${stderr}`)));
      await waitFor(() => stdout.includes('Press Ctrl-C to stop.'), { timeoutMs: 60_000, intervalMs: 50, description: () => `outpost up to come up:\n${stdout}\n${stderr}`, signal: exitedEarly.signal });
      const logFile = join(dataDir, 'examples', 'thermostat-mapper.log');
      expect(stdout).toContain(`Device twin thermostat-1 on edge-1 (examples/thermostat-mapper, log ${logFile})`);
      const kubectl = createKubectl(join(dataDir, 'cloud', 'admin.kubeconfig'));
      const reported = async (property: string): Promise<string | undefined> => {
        const res = await kubectl(['get', 'devicestatus', 'thermostat-1', '-o', `jsonpath={.status.twins[?(@.propertyName=="${property}")].reported.value}`]);
        return res.code === 0 && res.stdout !== '' ? res.stdout : undefined;
      };
      const mapperLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
      await waitFor(async () => (await reported('setpoint')) === '21' && (await reported('temperature')) !== undefined, {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: () => `the thermostat's reports in DeviceStatus; mapper log:\n${mapperLog().slice(-2000)}\n${stderr.slice(-2000)}`,
      });
      await kubectl.ok(['patch', 'device', 'thermostat-1', '--type=json', '-p', '[{"op":"replace","path":"/spec/properties/1/desired/value","value":"24"}]']);
      await waitFor(() => mapperLog().includes('applied desired setpoint=24 '), { timeoutMs: 30_000, intervalMs: 200, description: () => `the mapper to apply set-point 24; its log:\n${mapperLog().slice(-2000)}` });
      await waitFor(async () => (await reported('setpoint')) === '24', { timeoutMs: 30_000, intervalMs: 500, description: () => 'DeviceStatus to report set-point 24' });

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(mapperLog()).toMatch(/thermostat default\/thermostat-1: stopped\n$/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
