import os from 'node:os';

/**
 * What the builders need to know about the node: its memory (kubelet's machineInfo.MemoryCapacity,
 * for the Burstable OOM score) and its allocatable CPU and memory (the downward API's limits.* for
 * a container without limits). Edged reserves nothing, so allocatable = capacity.
 */
export interface MachineInfo {
  memoryBytes: number;
  cpuCount: number;
}

export function hostMachineInfo(): MachineInfo {
  return { memoryBytes: os.totalmem(), cpuCount: os.availableParallelism() };
}
