import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';

const ARCHITECTURES: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
/** The Kubernetes version whose node API this edge speaks, tagged as ours. */
export const KUBELET_VERSION = 'v1.32.0-outpost';
/** kubelet's default --max-pods. */
const MAX_PODS = '110';

export interface MachineFacts {
  cpuCount: number;
  memoryBytes: number;
  hostname: string;
  internalIPv4: string | undefined;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
}

/** Reads what the host says about itself; files that are missing leave their field empty. */
export function readMachineFacts(): MachineFacts {
  return {
    cpuCount: cpus().length,
    memoryBytes: totalmem(),
    hostname: hostname(),
    internalIPv4: firstExternalIPv4(),
    kernelVersion: release(),
    osImage: osImageFrom(readOptional('/etc/os-release')),
    architecture: ARCHITECTURES[arch()] ?? arch(),
    machineID: readOptional('/etc/machine-id').trim(),
  };
}

/**
 * What the edge says about its machine in Node.status (protocol.md R17): addresses, nodeInfo,
 * capacity and allocatable, in kubelet's shapes. Pressure conditions come from
 * pressure-conditions.ts; Ready is the cloud's to set.
 */
export function machineNodeStatus(facts: MachineFacts = readMachineFacts(), containerRuntimeVersion = ''): Record<string, unknown> {
  const capacity = { cpu: String(facts.cpuCount), memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`, pods: MAX_PODS };
  return {
    addresses: [
      // kubelet reports an InternalIP; a host with no external interface still has loopback.
      { type: 'InternalIP', address: facts.internalIPv4 ?? '127.0.0.1' },
      { type: 'Hostname', address: facts.hostname },
    ],
    capacity,
    // Nothing is reserved for system daemons yet (kubelet's --system-reserved), so all is allocatable.
    allocatable: { ...capacity },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: '',
      bootID: '',
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
  };
}

/** PRETTY_NAME from os-release(5), as kubelet reports osImage; "Linux" when there is none. */
export function osImageFrom(osRelease: string): string {
  for (const line of osRelease.split('\n')) {
    const m = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) return m[1].replace(/^(["'])(.*)\1$/, '$2');
  }
  return 'Linux';
}

function readOptional(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    // Containers and minimal systems may lack these files: the field stays empty.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') return '';
    throw err;
  }
}

function firstExternalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}
