import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../helpers/containerd-runtime.js';
import { processCommandLine } from '../../edgecore/edged/containerd/containerd-process.js';
import { mountsUnder } from '../../edgecore/edged/containerd/teardown-host.js';
import { runCommand } from '../../edgecore/edged/run-command.js';

/**
 * Just enough of k8s.io/cri-api runtime.v1 (field numbers from api.proto) to run a pod sandbox:
 * the real CRI client is edged/cri's; this only checks that the runtime this folder configures
 * (pause image, CNI bridge + portmap, restrict_oom_score_adj) runs pods and tears down clean.
 */
const PROTO = `
syntax = "proto3";
package runtime.v1;
service RuntimeService {
  rpc RunPodSandbox(RunPodSandboxRequest) returns (RunPodSandboxResponse) {}
  rpc StopPodSandbox(StopPodSandboxRequest) returns (StopPodSandboxResponse) {}
  rpc RemovePodSandbox(RemovePodSandboxRequest) returns (RemovePodSandboxResponse) {}
  rpc PodSandboxStatus(PodSandboxStatusRequest) returns (PodSandboxStatusResponse) {}
}
message PodSandboxMetadata { string name = 1; string uid = 2; string namespace = 3; uint32 attempt = 4; }
enum Protocol { TCP = 0; UDP = 1; SCTP = 2; }
message PortMapping { Protocol protocol = 1; int32 container_port = 2; int32 host_port = 3; string host_ip = 4; }
message PodSandboxConfig { PodSandboxMetadata metadata = 1; string hostname = 2; string log_directory = 3; repeated PortMapping port_mappings = 5; }
message RunPodSandboxRequest { PodSandboxConfig config = 1; string runtime_handler = 2; }
message RunPodSandboxResponse { string pod_sandbox_id = 1; }
message StopPodSandboxRequest { string pod_sandbox_id = 1; }
message StopPodSandboxResponse {}
message RemovePodSandboxRequest { string pod_sandbox_id = 1; }
message RemovePodSandboxResponse {}
message PodSandboxStatusRequest { string pod_sandbox_id = 1; bool verbose = 2; }
enum PodSandboxState { SANDBOX_READY = 0; SANDBOX_NOTREADY = 1; }
message PodSandboxNetworkStatus { string ip = 1; }
message PodSandboxStatus { string id = 1; PodSandboxMetadata metadata = 2; PodSandboxState state = 3; int64 created_at = 4; PodSandboxNetworkStatus network = 5; }
message PodSandboxStatusResponse { PodSandboxStatus status = 1; }
`;

type Unary = (request: object, callback: (err: grpc.ServiceError | null, response: Record<string, unknown>) => void) => void;

let rt: TestRuntime;
let scratch: string;
let client: grpc.Client & Record<string, Unary>;

function call(method: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const fn = client[method];
    if (fn === undefined) throw new Error(`no method ${method}`);
    fn.call(client, request, (err, response) => (err === null ? resolve(response) : reject(err)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  rt = await startTestRuntime();
  scratch = mkdtempSync(join(tmpdir(), 'outpost-sandbox-smoke-'));
  writeFileSync(join(scratch, 'cri-subset.proto'), PROTO);
  const definition = protoLoader.loadSync(join(scratch, 'cri-subset.proto'), { keepCase: true, enums: String, longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor } } };
  client = new pkg.runtime.v1.RuntimeService(rt.endpoint, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
});
afterAll(async () => {
  client?.close();
  try {
    await rt?.stop();
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
});

async function runSandbox(name: string, hostPort: number): Promise<string> {
  const logDir = join(scratch, name);
  const response = await call('RunPodSandbox', {
    config: {
      metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 },
      hostname: name,
      log_directory: logDir,
      port_mappings: [{ protocol: 'TCP', container_port: 80, host_port: hostPort }],
    },
  });
  return String(response.pod_sandbox_id);
}

async function natRules(): Promise<string> {
  const saved = await runCommand('iptables-save', ['-t', 'nat']);
  return saved.ok ? saved.value.stdout : '';
}

describe('pod sandboxes on the embedded containerd', () => {
  it('runs a sandbox on the edge bridge, and stops and removes it', async () => {
    const id = await runSandbox('smoke-a', await freePort());
    const status = (await call('PodSandboxStatus', { pod_sandbox_id: id })) as { status: { state: string; network: { ip: string } } };
    expect(status.status.state).toBe('SANDBOX_READY');
    const subnet = rt.podCidr.replace(/\.0\/24$/, '.');
    expect(status.status.network.ip.startsWith(subnet)).toBe(true);
    expect((await runCommand('ip', ['link', 'show', 'dev', rt.containerd.layout.bridgeName])).ok).toBe(true);
    await call('StopPodSandbox', { pod_sandbox_id: id });
    const stopped = (await call('PodSandboxStatus', { pod_sandbox_id: id })) as { status: { state: string } };
    expect(stopped.status.state).toBe('SANDBOX_NOTREADY');
    await call('RemovePodSandbox', { pod_sandbox_id: id });
    expect(await natRules()).not.toContain(id);
  });

  it('full cleanup removes a running sandbox with its network, mounts and processes', async () => {
    const id = await runSandbox('smoke-b', await freePort());
    const { layout } = rt.containerd;
    expect(await natRules()).toContain(id);
    await rt.stop();
    expect(await natRules()).not.toContain(id);
    expect((await runCommand('ip', ['link', 'show', 'dev', layout.bridgeName])).ok).toBe(false);
    expect(mountsUnder([layout.dir])).toEqual([]);
    const ours = readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => processCommandLine(Number(e))?.some((arg) => arg.includes(layout.socket) || arg.includes(id)) === true);
    expect(ours).toEqual([]);
  });
});
