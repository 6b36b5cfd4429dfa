import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCriClient, nanosToRfc3339, type ContainerConfig, type CriClient, type PodSandboxConfig } from './index.js';
import { FakeGrpcError, startFakeCriServer, type FakeCriServer } from '../../../test/helpers/fake-cri-server.js';

let dir: string;
let server: FakeCriServer;
let client: CriClient;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cri-'));
  server = await startFakeCriServer(dir);
  client = createCriClient({ endpoint: server.endpoint });
});

afterEach(async () => {
  client.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const sandboxConfig: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'uid-1', namespace: 'default', attempt: 2 },
  hostname: 'web',
  logDirectory: '/var/log/pods/default_web_uid-1',
  dnsConfig: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
  portMappings: [{ protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' }],
  labels: { app: 'web' },
  annotations: { note: 'x' },
  linux: { cgroupParent: '/outpost/pod-uid-1', securityContext: { namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' }, privileged: true } },
};

const containerConfig: ContainerConfig = {
  metadata: { name: 'app', attempt: 1 },
  image: { image: 'outpost.local/busybox:1' },
  command: ['httpd'],
  args: ['-f', '-p', '8080'],
  workingDir: '/srv',
  envs: [{ key: 'A', value: '1' }],
  mounts: [{ containerPath: '/data', hostPath: '/tmp/data', readonly: true, selinuxRelabel: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' }],
  labels: { 'io.outpost.hash': 'abc' },
  annotations: { a: 'b' },
  logPath: 'app/1.log',
  stdin: true,
  stdinOnce: true,
  tty: false,
  linux: {
    resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 67108864, oomScoreAdj: 900, cpusetCpus: '0-1', cpusetMems: '0', hugepageLimits: [{ pageSize: '2MB', limit: 0 }], unified: { 'memory.high': '1' }, memorySwapLimitInBytes: 67108864 },
    securityContext: {
      namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
      runAsUser: { value: 1000 },
      privileged: false,
      readonlyRootfs: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    },
  },
};

function lastCall(rpc: string) {
  const call = server.calls.filter((recorded) => recorded.rpc === rpc).at(-1);
  if (call === undefined) throw new Error(`no ${rpc} call was recorded`);
  return call;
}

const NANOS = '1700000000123456789';

const containerStatusWire = {
  id: 'c1',
  metadata: { name: 'app', attempt: 1 },
  state: 'CONTAINER_EXITED',
  createdAt: NANOS,
  startedAt: NANOS,
  finishedAt: '0',
  exitCode: 128,
  image: { image: 'outpost.local/busybox:1' },
  imageRef: 'sha256:abc',
  reason: 'StartError',
  message: 'exec: "nope": executable file not found in $PATH',
  labels: { a: 'b' },
  mounts: [{ containerPath: '/data', hostPath: '/tmp/data', readonly: true, propagation: 'PROPAGATION_BIDIRECTIONAL' }],
  logPath: '/var/log/pods/x/app/1.log',
};

describe('request encoding', () => {
  it('sends Version with the API version and returns the runtime identity', async () => {
    server.script('Version', () => ({ version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1' }));
    const result = await client.version();
    expect(result).toEqual({ ok: true, value: { version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1' } });
    expect(lastCall('Version').request).toEqual({ version: 'v1' });
  });

  it('sends every PodSandboxConfig field kubelet uses, and the runtime handler', async () => {
    server.script('RunPodSandbox', () => ({ podSandboxId: 'sb1' }));
    expect(await client.runPodSandbox(sandboxConfig, 'runc')).toEqual({ ok: true, value: 'sb1' });
    expect(lastCall('RunPodSandbox').request).toMatchObject({ config: sandboxConfig, runtimeHandler: 'runc' });
  });

  it('sends the container config with int64 resources and the sandbox config', async () => {
    server.script('CreateContainer', () => ({ containerId: 'c1' }));
    expect(await client.createContainer('sb1', containerConfig, sandboxConfig)).toEqual({ ok: true, value: 'c1' });
    const request = lastCall('CreateContainer').request;
    // int64 fields come back as decimal strings on the wire side; everything else as sent.
    const { resources, securityContext } = containerConfig.linux ?? {};
    expect(request).toMatchObject({
      podSandboxId: 'sb1',
      sandboxConfig,
      config: {
        ...containerConfig,
        linux: {
          resources: { ...resources, cpuPeriod: '100000', cpuQuota: '50000', cpuShares: '512', memoryLimitInBytes: '67108864', oomScoreAdj: '900', memorySwapLimitInBytes: '67108864', hugepageLimits: [{ pageSize: '2MB', limit: '0' }] },
          securityContext: { ...securityContext, runAsUser: { value: '1000' } },
        },
      },
    });
  });

  it('sends list filters, verbose flags, stop timeouts and exec commands', async () => {
    server.script('ListContainers', () => ({ containers: [] }));
    server.script('ListPodSandbox', () => ({ items: [] }));
    server.script('StopContainer', () => ({}));
    server.script('ExecSync', () => ({ stdout: Buffer.from('hi\n'), stderr: Buffer.from(''), exitCode: 0 }));
    server.script('ImageStatus', () => ({}));
    server.script('PullImage', () => ({ imageRef: 'sha256:1' }));

    expect(await client.listContainers({ podSandboxId: 'sb1', state: { state: 'CONTAINER_RUNNING' }, labelSelector: { app: 'web' } })).toEqual({ ok: true, value: [] });
    expect(lastCall('ListContainers').request).toEqual({ filter: { id: '', podSandboxId: 'sb1', state: { state: 'CONTAINER_RUNNING' }, labelSelector: { app: 'web' } } });
    await client.listPodSandbox();
    expect(lastCall('ListPodSandbox').request).toEqual({ filter: null });
    await client.stopContainer('c1', 7);
    expect(lastCall('StopContainer').request).toEqual({ containerId: 'c1', timeout: '7' });
    expect(await client.execSync('c1', ['echo', 'hi'], 5)).toEqual({ ok: true, value: { stdout: 'hi\n', stderr: '', exitCode: 0 } });
    expect(lastCall('ExecSync').request).toEqual({ containerId: 'c1', cmd: ['echo', 'hi'], timeout: '5' });
    await client.imageStatus('outpost.local/busybox:1', true);
    expect(lastCall('ImageStatus').request).toEqual({ image: { image: 'outpost.local/busybox:1', annotations: {} }, verbose: true });
    await client.pullImage('outpost.local/busybox:1', { username: 'u', password: 'p' });
    expect(lastCall('PullImage').request).toMatchObject({ image: { image: 'outpost.local/busybox:1' }, auth: { username: 'u', password: 'p' }, sandboxConfig: null });
  });
});

describe('answer conversion', () => {
  it('turns a ContainerStatus into camelCase types with exact bigint nanoseconds', async () => {
    server.script('ContainerStatus', () => ({ status: containerStatusWire, info: { info: '{"pid":1}' } }));
    const result = await client.containerStatus('c1', true);
    if (!result.ok) throw new Error(result.message);
    const { status, info } = result.value;
    expect(status).toMatchObject({ id: 'c1', state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError', imageRef: 'sha256:abc', annotations: {} });
    expect(status.createdAt).toBe(1700000000123456789n);
    expect(status.finishedAt).toBe(0n);
    expect(nanosToRfc3339(status.startedAt)).toBe('2023-11-14T22:13:20Z');
    expect(status.mounts).toEqual([{ containerPath: '/data', hostPath: '/tmp/data', readonly: true, selinuxRelabel: false, propagation: 'PROPAGATION_BIDIRECTIONAL' }]);
    expect(info).toEqual({ info: '{"pid":1}' });
    expect(lastCall('ContainerStatus').request).toEqual({ containerId: 'c1', verbose: true });
  });

  it('reads the sandbox network and namespaces', async () => {
    server.script('PodSandboxStatus', () => ({
      status: {
        id: 'sb1',
        metadata: sandboxConfig.metadata,
        state: 'SANDBOX_READY',
        createdAt: NANOS,
        network: { ip: '10.42.7.5', additionalIps: [{ ip: 'fd00::5' }] },
        linux: { namespaces: { options: { network: 'NODE', pid: 'CONTAINER' } } },
        runtimeHandler: 'runc',
      },
    }));
    const result = await client.podSandboxStatus('sb1');
    if (!result.ok) throw new Error(result.message);
    expect(result.value.status).toMatchObject({ id: 'sb1', state: 'SANDBOX_READY', network: { ip: '10.42.7.5', additionalIps: ['fd00::5'] }, runtimeHandler: 'runc', metadata: { name: 'web', attempt: 2 } });
    expect(result.value.status.linux?.namespaces?.options).toEqual({ network: 'NODE', pid: 'CONTAINER', ipc: 'POD', targetId: '' });
  });

  it('answers ImageStatus of an absent image with image undefined, and of a present one with numbers', async () => {
    server.script('ImageStatus', (request) => {
      const spec = request.image as { image: string };
      if (spec.image !== 'outpost.local/busybox:1') return {};
      return { image: { id: 'sha256:aa', repoTags: [spec.image], size: '1234567', uid: { value: '0' }, spec: { image: 'sha256:aa' } } };
    });
    expect(await client.imageStatus('outpost.local/missing:1')).toEqual({ ok: true, value: { image: undefined, info: {} } });
    const present = await client.imageStatus({ image: 'outpost.local/busybox:1' });
    if (!present.ok) throw new Error(present.message);
    expect(present.value.image).toMatchObject({ id: 'sha256:aa', repoTags: ['outpost.local/busybox:1'], repoDigests: [], size: 1234567, uid: 0, username: '', pinned: false });
  });

  it('flattens Status conditions and lists sandboxes, containers and images', async () => {
    server.script('Status', () => ({ status: { conditions: [{ type: 'RuntimeReady', status: true }, { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady' }] } }));
    server.script('ListPodSandbox', () => ({ items: [{ id: 'sb1', metadata: sandboxConfig.metadata, state: 'SANDBOX_NOTREADY', createdAt: NANOS }] }));
    server.script('ListContainers', () => ({ containers: [{ id: 'c1', podSandboxId: 'sb1', metadata: { name: 'app' }, state: 'CONTAINER_RUNNING', createdAt: NANOS }] }));
    server.script('ListImages', () => ({ images: [{ id: 'sha256:aa', size: '1' }] }));
    const status = await client.status();
    expect(status.ok && status.value.conditions.map((condition) => [condition.type, condition.status, condition.reason])).toEqual([
      ['RuntimeReady', true, ''],
      ['NetworkReady', false, 'NetworkPluginNotReady'],
    ]);
    const sandboxes = await client.listPodSandbox({ state: { state: 'SANDBOX_READY' } });
    expect(sandboxes.ok && sandboxes.value.map((sandbox) => [sandbox.id, sandbox.state, sandbox.createdAt])).toEqual([['sb1', 'SANDBOX_NOTREADY', 1700000000123456789n]]);
    const containers = await client.listContainers();
    expect(containers.ok && containers.value.map((container) => [container.id, container.metadata.name, container.state, container.image])).toEqual([['c1', 'app', 'CONTAINER_RUNNING', undefined]]);
    const images = await client.listImages();
    expect(images.ok && images.value.map((image) => [image.id, image.size, image.uid])).toEqual([['sha256:aa', 1, undefined]]);
  });
});

describe('malformed answers are refused', () => {
  it('refuses an empty sandbox id', async () => {
    server.script('RunPodSandbox', () => ({}));
    const result = await client.runPodSandbox(sandboxConfig);
    expect(result).toMatchObject({ ok: false, code: 'Internal' });
    expect(!result.ok && result.message).toMatch(/^malformed RuntimeService\/RunPodSandbox answer from the container runtime: podSandboxId: the runtime sent an empty id/);
  });

  it('refuses a status answer without its status message', async () => {
    server.script('PodSandboxStatus', () => ({ info: {} }));
    server.script('ContainerStatus', () => ({}));
    expect(await client.podSandboxStatus('sb1')).toMatchObject({ ok: false, code: 'Internal', message: expect.stringContaining('status: the runtime left out the sandbox status') });
    expect(await client.containerStatus('c1')).toMatchObject({ ok: false, code: 'Internal', message: expect.stringContaining('status: the runtime left out the container status') });
  });

  it('refuses a container state this client does not know', async () => {
    server.script('ContainerStatus', () => ({ status: { ...containerStatusWire, state: 9 } }));
    const result = await client.containerStatus('c1');
    expect(result).toMatchObject({ ok: false, code: 'Internal', message: expect.stringContaining('status.state') });
  });
});

describe('gRPC status mapping', () => {
  const cases: Array<[GrpcStatus, string, string]> = [
    [GrpcStatus.NOT_FOUND, 'NotFound', 'an error occurred when try to find container "nope": not found'],
    [GrpcStatus.INVALID_ARGUMENT, 'BadRequest', 'invalid container config'],
    [GrpcStatus.ALREADY_EXISTS, 'AlreadyExists', 'name "x" is reserved'],
    [GrpcStatus.UNKNOWN, 'Internal', 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown'],
    [GrpcStatus.FAILED_PRECONDITION, 'Internal', 'container is not running'],
  ];
  it.each(cases)('gRPC code %i becomes %s with the message kept verbatim', async (grpcCode, code, details) => {
    server.script('StartContainer', () => {
      throw new FakeGrpcError(grpcCode, details);
    });
    expect(await client.startContainer('c1')).toEqual({ ok: false, code, message: details });
  });

  it("reads containerd's own ExecSync timeout as code Timeout, other exec failures as their gRPC code", async () => {
    const timedOut = 'failed to exec in container: timeout 1s exceeded: context deadline exceeded';
    server.script('ExecSync', () => {
      throw new FakeGrpcError(GrpcStatus.UNKNOWN, timedOut);
    });
    expect(await client.execSync('c1', ['sleep', '5'], 1)).toEqual({ ok: false, code: 'Timeout', message: timedOut });
    server.script('ExecSync', () => {
      throw new FakeGrpcError(GrpcStatus.NOT_FOUND, 'container "c1" not found');
    });
    expect(await client.execSync('c1', ['true'], 1)).toEqual({ ok: false, code: 'NotFound', message: 'container "c1" not found' });
  });

  it('maps an unimplemented RPC to Internal', async () => {
    expect(await client.reopenContainerLog('c1')).toMatchObject({ ok: false, code: 'Internal', message: expect.stringContaining('ReopenContainerLog') });
  });
});
