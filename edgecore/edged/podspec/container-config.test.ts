import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ok, type Result } from '../../../shared/errors.js';
import type { ContainerConfig } from '../cri/index.js';
import { buildContainerConfig, type ContainerInput } from './container-config.js';
import { containerSpecHash } from './container-hash.js';
import { ANNOTATIONS, LABELS } from './labels.js';
import type { ObjectLookup } from './object-lookup.js';
import type { PodSpecWarning } from './outcomes.js';
import { parsePod } from './parse-pod.js';
import { podSchema, type Pod } from './pod-schema.js';
import { buildSandboxConfig } from './sandbox-config.js';

const lookup: ObjectLookup = {
  configMap: (_, name) => (name === 'app-config' ? { data: { mode: 'fast', 'bad key': 'x' } } : undefined),
  secret: () => undefined,
};

function podWith(container: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Pod {
  const parsed = parsePod({
    metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', ...metadata },
    spec: { containers: [{ name: 'app', image: 'outpost.local/busybox:1', ...container }], ...spec },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function inputFor(pod: Pod, extra: Partial<ContainerInput> = {}): ContainerInput {
  const sandbox = buildSandboxConfig(pod, { logRoot: '/logs', attempt: 0, readFile: () => ok('nameserver 1.1.1.1') });
  if (!sandbox.ok) throw new Error(sandbox.message);
  const container = pod.spec.containers[0];
  if (container === undefined) throw new Error('no container');
  return { pod, container, sandboxConfig: sandbox.value, podIP: '10.42.0.7', hostIP: '192.168.1.5', nodeName: 'edge-1', restartCount: 3, lookup, machine: { memoryBytes: 8 * 1024 ** 3, cpuCount: 2 }, ...extra };
}

function build(pod: Pod, extra: Partial<ContainerInput> = {}) {
  const result = buildContainerConfig(inputFor(pod, extra));
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('buildContainerConfig', () => {
  it('builds the whole config for a simple container', () => {
    const pod = podWith({ command: ['sh', '-c'], args: ['echo $(GREETING) $(UNSET) $$(GREETING)'], workingDir: '/srv', env: [{ name: 'GREETING', value: 'hi' }] }, { terminationGracePeriodSeconds: 5 });
    const container = pod.spec.containers[0];
    expect(build(pod)).toEqual({
      metadata: { name: 'app', attempt: 3 },
      image: { image: 'outpost.local/busybox:1' },
      command: ['sh', '-c'],
      args: ['echo hi $(UNSET) $(GREETING)'],
      workingDir: '/srv',
      envs: [{ key: 'GREETING', value: 'hi' }],
      labels: {
        [LABELS.podName]: 'web-0',
        [LABELS.podNamespace]: 'shop',
        [LABELS.podUid]: 'uid-1',
        [LABELS.containerName]: 'app',
        [LABELS.managedBy]: 'edged',
        [LABELS.containerHash]: container && containerSpecHash(container),
      },
      annotations: {
        [ANNOTATIONS.restartCount]: '3',
        [ANNOTATIONS.terminationGracePeriod]: '5',
        [ANNOTATIONS.terminationMessagePath]: '/dev/termination-log',
        [ANNOTATIONS.terminationMessagePolicy]: 'File',
      },
      logPath: 'app/3.log',
      stdin: false,
      stdinOnce: false,
      tty: false,
      linux: {
        resources: { cpuShares: 2, cpuPeriod: 100000, oomScoreAdj: 1000 },
        securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, privileged: false, readonlyRootfs: false, noNewPrivs: false },
      },
    });
  });

  it('leaves command/args/workingDir out when the image decides them, and uses the given image ref', () => {
    const config = build(podWith({}), { imageRef: 'sha256:abc' });
    expect(config.command).toBeUndefined();
    expect(config.args).toBeUndefined();
    expect(config.workingDir).toBeUndefined();
    expect(config.image).toEqual({ image: 'sha256:abc' });
  });

  it('copies the sandbox namespace options into the container (host network pod)', () => {
    const config = build(podWith({}, { hostNetwork: true, shareProcessNamespace: true }));
    expect(config.linux?.securityContext?.namespaceOptions).toEqual({ network: 'NODE', pid: 'POD', ipc: 'POD' });
  });

  it('joins the target container\'s PID namespace for an ephemeral container, unless the pod shares one already (R47)', () => {
    const config = build(podWith({}), { pidTargetId: 'target-id' });
    expect(config.linux?.securityContext?.namespaceOptions).toEqual({ network: 'POD', pid: 'TARGET', ipc: 'POD', targetId: 'target-id' });
    const shared = build(podWith({}, { shareProcessNamespace: true }), { pidTargetId: 'target-id' });
    expect(shared.linux?.securityContext?.namespaceOptions).toEqual({ network: 'POD', pid: 'POD', ipc: 'POD' });
  });

  it('merges the container security context over the pod one', () => {
    const pod = podWith(
      { securityContext: { privileged: true, runAsUser: 1, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } },
      { securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000] } },
    );
    expect(build(pod).linux?.securityContext).toEqual({
      namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
      privileged: true,
      readonlyRootfs: true,
      noNewPrivs: true,
      runAsUser: { value: 1 },
      runAsGroup: { value: 2000 },
      supplementalGroups: [3000, 4000],
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    });
  });

  it('records grace periods, ports, preStop and termination message settings in annotations', () => {
    const ports = [{ name: 'http', containerPort: 80 }];
    const preStop = { exec: { command: ['sleep', '1'] } };
    const pod = podWith({ ports, lifecycle: { preStop }, terminationMessagePath: '/tmp/msg', terminationMessagePolicy: 'FallbackToLogsOnError' }, {}, { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 7 });
    expect(build(pod, { restartCount: 0 }).annotations).toEqual({
      [ANNOTATIONS.restartCount]: '0',
      [ANNOTATIONS.podDeletionGracePeriod]: '7',
      [ANNOTATIONS.containerPorts]: JSON.stringify(ports),
      [ANNOTATIONS.preStopHandler]: JSON.stringify(preStop),
      [ANNOTATIONS.terminationMessagePath]: '/tmp/msg',
      [ANNOTATIONS.terminationMessagePolicy]: 'FallbackToLogsOnError',
    });
  });

  it('sets stdin, stdinOnce and tty', () => {
    expect(build(podWith({ stdin: true, stdinOnce: true, tty: true }))).toMatchObject({ stdin: true, stdinOnce: true, tty: true });
  });

  it('uses the node name for spec.nodeName when the pod has none, and the pod one otherwise', () => {
    const env = [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }];
    expect(build(podWith({ env })).envs).toEqual([{ key: 'NODE', value: 'edge-1' }]);
    expect(build(podWith({ env }, { nodeName: 'edge-9' })).envs).toEqual([{ key: 'NODE', value: 'edge-9' }]);
  });

  it('expands command and args against envFrom and env', () => {
    const pod = podWith({ envFrom: [{ configMapRef: { name: 'app-config' } }], command: ['run', '--mode=$(mode)', '--ip=$(IP)'], env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] });
    const warnings: PodSpecWarning[] = [];
    expect(build(pod, { onWarning: (w) => warnings.push(w) }).command).toEqual(['run', '--mode=fast', '--ip=10.42.0.7']);
    expect(warnings.map((w) => w.reason)).toEqual(['InvalidEnvironmentVariableNames']);
  });

  it('fails with reason CreateContainerConfigError and kubelet\'s message on a missing reference', () => {
    const pod = podWith({ env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'level' } } }] });
    expect(buildContainerConfig(inputFor(pod))).toEqual({ ok: false, code: 'NotFound', message: "couldn't find key level in ConfigMap shop/app-config", reason: 'CreateContainerConfigError' });
    const missing = podWith({ envFrom: [{ configMapRef: { name: 'gone' } }] });
    expect(buildContainerConfig(inputFor(missing))).toEqual({ ok: false, code: 'NotFound', message: 'configmap "gone" not found', reason: 'CreateContainerConfigError' });
  });

  it('sets resources from requests and limits', () => {
    const pod = podWith({ resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '200m', memory: '2Gi' } } });
    expect(build(pod).linux?.resources).toEqual({ cpuShares: 102, cpuPeriod: 100000, cpuQuota: 20000, memoryLimitInBytes: 2 * 1024 ** 3, oomScoreAdj: 875 });
  });
});

describe('API shape', () => {
  it('returns values that are shared Results and a schema typed by Pod', () => {
    const pod = podWith({});
    const asResult: Result<ContainerConfig> = buildContainerConfig(inputFor(pod));
    const schema: z.ZodType<Pod> = podSchema;
    expect(asResult.ok).toBe(true);
    expect(schema.safeParse({ metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'i' }] } }).success).toBe(true);
  });
});
