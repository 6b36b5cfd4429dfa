/**
 * The configs this module builds, run on a real containerd of the test's own
 * (test/helpers/containerd-runtime.ts): env, command expansion, cgroup limits, OOM score, hostname,
 * DNS, security context and the log layout as the container sees them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../shared/errors.js';
import { connectCri, startTestRuntime, type TestRuntime } from '../helpers/containerd-runtime.js';
import type { CriClient, PodSandboxConfig } from '../../edgecore/edged/cri/index.js';
import { buildContainerConfig, buildSandboxConfig, LABELS, parsePod, type ObjectLookup, type Pod } from '../../edgecore/edged/podspec/index.js';

let runtime: TestRuntime | undefined;
let client: CriClient;

beforeAll(async () => {
  runtime = await startTestRuntime();
  client = await connectCri(runtime);
});

afterAll(async () => {
  client?.close();
  await runtime?.stop();
});

function value<T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const lookup: ObjectLookup = {
  configMap: (namespace, name) => (namespace === 'shop' && name === 'app-config' ? { data: { MODE: 'fast' } } : undefined),
  secret: (namespace, name) => (namespace === 'shop' && name === 'db' ? { data: { password: Buffer.from('s3cret').toString('base64') } } : undefined),
};

function podOf(name: string, spec: Record<string, unknown>): Pod {
  return value(parsePod({ metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: name } }, spec: { nodeName: 'edge-1', ...spec } }));
}

/** Runs the pod's first container as a pod worker would: sandbox, log folder, container, start. */
async function runPod(pod: Pod): Promise<{ sandboxId: string; containerId: string; sandbox: PodSandboxConfig }> {
  const logRoot = join(runtime?.edgeDir ?? '', 'pod-logs');
  const sandbox = value(buildSandboxConfig(pod, { logRoot, attempt: 0, dnsServers: ['10.43.0.10'], clusterDomain: 'cluster.local', readFile: () => ok('nameserver 192.0.2.53\n') }));
  const sandboxId = value(await client.runPodSandbox(sandbox));
  const podIP = value(await client.podSandboxStatus(sandboxId)).status.network?.ip ?? '';
  const container = pod.spec.containers[0];
  if (container === undefined) throw new Error('no container');
  const config = value(buildContainerConfig({ pod, container, sandboxConfig: sandbox, podIP, hostIP: '192.0.2.1', nodeName: 'edge-1', restartCount: 0, lookup }));
  // kubelet creates the container's log folder before CreateContainer.
  mkdirSync(join(sandbox.logDirectory ?? '', container.name), { recursive: true });
  const containerId = value(await client.createContainer(sandboxId, config, sandbox));
  value(await client.startContainer(containerId));
  return { sandboxId, containerId, sandbox };
}

async function exec(containerId: string, command: string): Promise<string> {
  const result = value(await client.execSync(containerId, ['sh', '-c', command], 10));
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
}

async function removePod(sandboxId: string): Promise<void> {
  for (const container of value(await client.listContainers({ podSandboxId: sandboxId }))) {
    value(await client.stopContainer(container.id, 0));
    value(await client.removeContainer(container.id));
  }
  value(await client.stopPodSandbox(sandboxId));
  value(await client.removePodSandbox(sandboxId));
}

describe('podspec configs on containerd', () => {
  it('runs a pod network container with its env, command, limits, OOM score, hostname, DNS and logs', async () => {
    const pod = podOf('web', {
      containers: [
        {
          name: 'app',
          image: 'outpost.local/busybox:1',
          command: ['sh', '-c', 'echo started $(MODE); exec sleep 3600'],
          envFrom: [{ configMapRef: { name: 'app-config' } }],
          env: [
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'URL', value: 'http://$(POD_IP):8080/$(MODE)' },
          ],
          resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '500m', memory: '64Mi' } },
          securityContext: { capabilities: { drop: ['NET_RAW'] } },
        },
      ],
    });
    const { sandboxId, containerId, sandbox } = await runPod(pod);
    const podIP = value(await client.podSandboxStatus(sandboxId)).status.network?.ip ?? '';
    const env = await exec(containerId, 'echo "$MODE|$PASSWORD|$POD_IP|$URL"');
    expect(env.trim()).toBe(`fast|s3cret|${podIP}|http://${podIP}:8080/fast`);
    expect((await exec(containerId, 'hostname')).trim()).toBe('web');
    expect((await exec(containerId, 'cat /etc/resolv.conf')).split('\n').sort()).toEqual(['', 'nameserver 10.43.0.10', 'options ndots:5', 'search shop.svc.cluster.local svc.cluster.local cluster.local']);
    // cgroups v1 inside the container show its own cgroup.
    expect((await exec(containerId, 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes')).trim()).toBe(String(64 * 1024 * 1024));
    expect((await exec(containerId, 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares')).split('\n').slice(0, 3)).toEqual(['50000', '100000', '102']);
    // Burstable: 1000 - 1000*32Mi/machine memory; containerd may only raise it (restrict_oom_score_adj).
    const oom = Number((await exec(containerId, 'cat /proc/1/oom_score_adj')).trim());
    expect(oom).toBeGreaterThan(900);
    expect(oom).toBeLessThan(1000);
    const status = value(await client.containerStatus(containerId)).status;
    expect(status.labels[LABELS.managedBy]).toBe('edged');
    expect(status.logPath).toBe(join(sandbox.logDirectory ?? '', 'app', '0.log'));
    expect(readFileSync(status.logPath, 'utf8')).toMatch(/ stdout F started fast$/m);
    await removePod(sandboxId);
  });

  it('runs a host-network pod (empty hostname, the host resolv.conf) with pod-level user settings', async () => {
    const pod = podOf('hostnet', {
      hostNetwork: true,
      securityContext: { runAsUser: 1234, runAsGroup: 2345 },
      containers: [{ name: 'app', image: 'outpost.local/busybox:1', command: ['sleep', '3600'], securityContext: { readOnlyRootFilesystem: true } }],
    });
    const { sandboxId, containerId } = await runPod(pod);
    expect((await exec(containerId, 'hostname')).trim()).toBe(hostname());
    expect(await exec(containerId, 'cat /etc/resolv.conf')).toContain('nameserver 192.0.2.53');
    expect((await exec(containerId, 'echo "$(id -u):$(id -g)"')).trim()).toBe('1234:2345');
    const readOnly = value(await client.execSync(containerId, ['sh', '-c', 'touch /probe'], 10));
    expect(readOnly.exitCode).not.toBe(0);
    await removePod(sandboxId);
  });
});
