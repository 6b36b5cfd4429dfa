import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { criMethod, findRuntimeProto } from './runtime-proto.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const proto = join(root, 'edgecore', 'edged', 'cri', 'runtime-v1.proto');

describe('locating the proto', () => {
  it('finds it from the sources', () => {
    expect(findRuntimeProto(import.meta.url)).toBe(proto);
  });

  it('finds it from the compiled build, which does not carry the .proto', () => {
    const compiled = pathToFileURL(join(root, 'dist', 'edgecore', 'edged', 'cri', 'runtime-proto.js')).href;
    expect(findRuntimeProto(compiled)).toBe(proto);
  });

  it('answers undefined outside the project', () => {
    expect(findRuntimeProto(pathToFileURL('/nonexistent-outpost/a/b.js').href)).toBeUndefined();
  });
});

describe('the proto subset', () => {
  it('names methods as the published runtime.v1 services do', () => {
    expect(criMethod('RuntimeService', 'RunPodSandbox').path).toBe('/runtime.v1.RuntimeService/RunPodSandbox');
    expect(criMethod('ImageService', 'PullImage').path).toBe('/runtime.v1.ImageService/PullImage');
    expect(() => criMethod('RuntimeService', 'PortForward')).toThrow(/not in the CRI proto subset/);
  });

  it('encodes fields with the numbers of k8s.io/cri-api api.proto', () => {
    // Tag bytes are (field number << 3) | wire type; 2 = length-delimited, 0 = varint.
    const encode = (rpc: string, request: object): Buffer => criMethod('RuntimeService', rpc).requestSerialize(request);
    // StopContainerRequest: container_id = 1, timeout = 2.
    expect([...encode('StopContainer', { containerId: 'c', timeout: 3 })]).toEqual([0x0a, 1, 0x63, 0x10, 3]);
    // ContainerConfig.log_path = 11, linux = 15; LinuxContainerConfig.security_context = 2;
    // LinuxContainerSecurityContext.namespace_options = 3; NamespaceOption.network = 1 (NODE = 2).
    const created = encode('CreateContainer', { config: { logPath: 'l', linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } } });
    expect([...created]).toEqual([0x12, 11, 0x5a, 1, 0x6c, 0x7a, 6, 0x12, 4, 0x1a, 2, 0x08, 2]);
    // PodSandboxConfig.linux = 8 → LinuxPodSandboxConfig.security_context = 2 → privileged = 6.
    const sandbox = encode('RunPodSandbox', { config: { linux: { securityContext: { privileged: true } } } });
    expect([...sandbox]).toEqual([0x0a, 6, 0x42, 4, 0x12, 2, 0x30, 1]);
    // AttachRequest: container_id = 1, stdin = 2, tty = 3, stdout = 4, stderr = 5 (not Exec's order).
    const attach = encode('Attach', { containerId: 'c', stdin: true, tty: true, stdout: true, stderr: true });
    expect([...attach]).toEqual([0x0a, 1, 0x63, 0x10, 1, 0x18, 1, 0x20, 1, 0x28, 1]);
  });
});
