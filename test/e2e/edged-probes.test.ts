/**
 * Probes, graceful stop and unsupported fields end to end: a real cloudcore, a real edgecore
 * running pods through its own containerd, and a real kubectl. The pods time themselves with their
 * own scripts (a file that appears or goes away), so nothing here reaches into the runtime.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPod, startEdgedSetup, waitForPod, type EdgedSetup } from '../helpers/edged-e2e.js';
import { waitFor } from '../helpers/edge-process.js';

const BUSYBOX = 'outpost.local/busybox:1';

let setup: EdgedSetup;
let hookServer: Server;
let hookPort = 0;
/** When the preStop hook's request reached the test (ms since the epoch), per path. */
const hookHits = new Map<string, number>();

interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
  lastState?: Record<string, { reason?: string; exitCode?: number } | undefined>;
}

function pod(name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: setup.node, terminationGracePeriodSeconds: 2, ...spec, containers: [{ name: 'c', image: BUSYBOX, ...container }] },
  });
}

const exec = (...command: string[]) => ({ exec: { command } });
const status = (p: { status?: unknown } | undefined): ContainerStatus | undefined =>
  (p?.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses?.[0];

async function events(name: string): Promise<Array<{ type: string; reason: string; message: string }>> {
  const list = JSON.parse(await setup.kubectl.ok(['get', 'events', '-n', 'default', '-o', 'json'])) as { items: Array<{ type: string; reason: string; message: string; involvedObject: { name: string } }> };
  return list.items.filter((e) => e.involvedObject.name === name);
}

async function waitForEvent(name: string, reason: string, text: string, timeoutMs = 60_000): Promise<void> {
  let seen: unknown;
  await waitFor(async () => {
    const found = await events(name);
    seen = found;
    return found.some((e) => e.reason === reason && e.message.includes(text));
  }, timeoutMs, () => `no ${reason} event with ${JSON.stringify(text)} for ${name}: ${JSON.stringify(seen)}\n${setup.edge.output().slice(-3000)}`);
}

/** The READY column of `kubectl get pod` (e.g. "0/1"). */
async function readyColumn(name: string): Promise<string> {
  const out = await setup.kubectl.ok(['get', 'pod', name, '--no-headers']);
  return out.trim().split(/\s+/)[1] ?? '';
}

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    hookHits.set(req.url ?? '', Date.now());
    res.end('ok');
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  hookPort = (hookServer.address() as AddressInfo).port;
  setup = await startEdgedSetup({ node: 'edged-probes' });
}, 120_000);

afterAll(async () => {
  await setup?.stop();
  await new Promise((resolve) => hookServer?.close(resolve));
}, 180_000);

describe('edged probes, graceful stop and unsupported fields', () => {
  it('restarts a container whose liveness probe starts failing', async () => {
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod('live', {
        command: ['sh', '-c', 'touch /tmp/healthy; sleep 5; rm /tmp/healthy; sleep 3600'],
        livenessProbe: { ...exec('cat', '/tmp/healthy'), periodSeconds: 1, failureThreshold: 2 },
      }),
    });
    const restarted = await waitForPod(setup, 'live', (p) => (status(p)?.restartCount ?? 0) >= 1, 90_000);
    // The killed instance ignored SIGTERM (sh as PID 1), so it was killed after the grace period.
    expect(status(restarted)?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    await waitForEvent('live', 'Unhealthy', 'Liveness probe failed: cat: can\'t open \'/tmp/healthy\'');
    await waitForEvent('live', 'Killing', 'Container c failed liveness probe, will be restarted');
  }, 150_000);

  it('makes a pod not Ready while its readiness probe fails, and Ready again once it passes', async () => {
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod('ready', {
        command: ['sh', '-c', 'while true; do touch /tmp/ready; sleep 8; rm -f /tmp/ready; sleep 8; done'],
        readinessProbe: { ...exec('cat', '/tmp/ready'), periodSeconds: 1, failureThreshold: 1 },
      }),
    });
    await waitFor(async () => (await readyColumn('ready')) === '1/1', 60_000, () => `never 1/1\n${setup.edge.output().slice(-3000)}`);
    await waitFor(async () => (await readyColumn('ready')) === '0/1', 30_000, () => 'never went back to 0/1');
    const unready = await getPod(setup, 'ready');
    const conditions = (unready?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(conditions.find((c) => c.type === 'ContainersReady')?.status).toBe('False');
    expect(status(unready)?.state?.running).toBeDefined();
    await waitFor(async () => (await readyColumn('ready')) === '1/1', 30_000, () => 'never Ready again');
    expect(status(await getPod(setup, 'ready'))?.restartCount).toBe(0);
    await waitForEvent('ready', 'Unhealthy', 'Readiness probe failed:');
  }, 150_000);

  it('holds off liveness until the startup probe passes', async () => {
    // The liveness probe would fail at once before /tmp/started exists; the startup probe gates it.
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod('startup', {
        command: ['sh', '-c', 'sleep 8; touch /tmp/started; sleep 3600'],
        startupProbe: { ...exec('cat', '/tmp/started'), periodSeconds: 1, failureThreshold: 60 },
        livenessProbe: { ...exec('cat', '/tmp/started'), periodSeconds: 1, failureThreshold: 1 },
      }),
    });
    const before = await waitForPod(setup, 'startup', (p) => status(p)?.state?.running !== undefined, 60_000);
    expect(status(before)).toMatchObject({ started: false, ready: false });
    const started = await waitForPod(setup, 'startup', (p) => status(p)?.started === true && status(p)?.ready === true, 60_000);
    expect(status(started)?.restartCount).toBe(0);
    const startupEvents = await events('startup');
    expect(startupEvents.some((e) => e.message.startsWith('Liveness probe failed'))).toBe(false);
    expect(startupEvents.some((e) => e.message.startsWith('Startup probe failed'))).toBe(true);
  }, 150_000);

  it('probes over HTTP and TCP by port name against the pod IP', async () => {
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod('web', {
        command: ['sh', '-c', 'mkdir -p /www && echo up > /www/healthz && exec httpd -f -p 8080 -h /www'],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
        startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
        livenessProbe: { httpGet: { path: '/missing', port: 'http' }, periodSeconds: 1, failureThreshold: 6 },
      }),
    });
    await waitFor(async () => (await readyColumn('web')) === '1/1', 60_000, () => 'web never Ready');
    // The liveness path answers 404: a failure kubelet words as the status code.
    await waitForEvent('web', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 404');
    await waitForPod(setup, 'web', (p) => (status(p)?.restartCount ?? 0) >= 1, 60_000);
  }, 150_000);

  it('runs the preStop hook and stops the pod within its grace period', async () => {
    // The hook reports to the test, then would sleep far past the grace period: the grace bounds it.
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod(
        'prestop',
        {
          command: ['sh', '-c', 'sleep 3600'],
          lifecycle: { preStop: exec('sh', '-c', `wget -q -O- http://127.0.0.1:${hookPort}/prestop; sleep 120`) },
        },
        { hostNetwork: true, terminationGracePeriodSeconds: 6 },
      ),
    });
    await waitForPod(setup, 'prestop', (p) => status(p)?.state?.running !== undefined, 60_000);
    const deleted = Date.now();
    await setup.kubectl.ok(['delete', 'pod', 'prestop', '--wait=false']);
    await waitFor(async () => (await getPod(setup, 'prestop')) === undefined, 60_000, () => `prestop not gone\n${setup.edge.output().slice(-3000)}`);
    const gone = Date.now();
    const hit = hookHits.get('/prestop');
    expect(hit).toBeDefined();
    expect(hit ?? 0).toBeGreaterThanOrEqual(deleted);
    // 6 s of grace (the hook's time counted in it) plus the 2 s minimum, far from the hook's own 120 s.
    expect(gone - deleted).toBeLessThan(40_000);
  }, 150_000);

  it('names an unsupported field in a Warning event, and refuses what it cannot run faithfully', async () => {
    await setup.kubectl.ok(['apply', '-f', '-'], {
      stdin: pod('seccomp', { command: ['sleep', '3600'], securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    });
    await waitForEvent('seccomp', 'UnsupportedField', 'spec.containers[0].securityContext.seccompProfile (RuntimeDefault) is not supported on this edge node; the pod runs without it');
    const table = await setup.kubectl.ok(['get', 'events', '-n', 'default']);
    expect(table).toMatch(/Warning\s+UnsupportedField\s+pod\/seccomp/);
    await waitForPod(setup, 'seccomp', (p) => status(p)?.state?.running !== undefined, 60_000);

    await setup.kubectl.ok(['apply', '-f', '-'], { stdin: pod('userns', { command: ['sleep', '3600'] }, { hostUsers: false }) });
    const refused = await waitForPod(setup, 'userns', (p) => status(p)?.state?.waiting?.reason === 'CreateContainerConfigError', 60_000);
    expect(status(refused)?.state?.waiting?.message).toContain('spec.hostUsers (false: user namespaces) is not supported on this edge node');
    await waitForEvent('userns', 'UnsupportedField', 'spec.hostUsers');
  }, 150_000);
});
