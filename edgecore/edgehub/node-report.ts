import { arch, cpus, hostname, networkInterfaces, release, totalmem, type } from 'node:os';

const ARCHITECTURES: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };

/**
 * What the edge says about its machine in Node.status (protocol.md R17): addresses, nodeInfo and
 * capacity, in Kubernetes' shapes. Conditions are the cloud's to set.
 */
export function machineNodeStatus(buildVersion: string): Record<string, unknown> {
  const addresses: Array<{ type: string; address: string }> = [];
  const ip = firstExternalIPv4();
  if (ip !== undefined) addresses.push({ type: 'InternalIP', address: ip });
  addresses.push({ type: 'Hostname', address: hostname() });
  const capacity = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '110' };
  return {
    addresses,
    capacity,
    allocatable: capacity,
    nodeInfo: {
      architecture: ARCHITECTURES[arch()] ?? arch(),
      operatingSystem: type().toLowerCase(),
      kernelVersion: release(),
      osImage: type(),
      kubeletVersion: `v1.31.0-outpost.${buildVersion}`,
      kubeProxyVersion: '',
      containerRuntimeVersion: '',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
  };
}

function firstExternalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}
