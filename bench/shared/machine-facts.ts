import { cpus, loadavg } from 'node:os';

/** What every benchmark report states about the machine it ran on, at the start of the run. */
export interface MachineFacts {
  node: string;
  cpus: number;
  cpuModel: string;
  platform: string;
  /** 1-minute load average before the run: other work on the machine skews every figure. */
  loadAverageAtStart: number;
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    node: process.version,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    platform: `${process.platform}/${process.arch}`,
    loadAverageAtStart: loadavg()[0] ?? 0,
  };
}
