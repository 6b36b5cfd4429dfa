/**
 * The node's MemoryPressure, DiskPressure and PIDPressure conditions, judged as kubelet's eviction
 * manager judges them with its default hard thresholds (docs/protocol.md R17):
 * memory.available < 100Mi, nodefs.available < 10% (the file system of the edge's data folder).
 * kubelet sets no default for pid.available, so PIDPressure turns True only when no PID is left.
 * Reasons and messages are kubelet's (pkg/kubelet/nodestatus/setters.go).
 */
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import { freemem } from 'node:os';

export interface PressureFigures {
  /** Bytes of memory available (MemAvailable of /proc/meminfo, else free memory). */
  memoryAvailableBytes: number;
  /** Available and total bytes of the file system holding the data folder. */
  nodefsAvailableBytes: number;
  nodefsCapacityBytes: number;
  /** PIDs still free: kernel.pid_max minus running processes; undefined where /proc says nothing. */
  pidsAvailable: number | undefined;
}

export const DEFAULT_EVICTION_HARD = { memoryAvailableBytes: 100 * 1024 * 1024, nodefsAvailablePercent: 10 } as const;

interface ConditionText {
  type: string;
  falseReason: string;
  falseMessage: string;
  trueReason: string;
  trueMessage: string;
}

const MEMORY: ConditionText = {
  type: 'MemoryPressure',
  falseReason: 'KubeletHasSufficientMemory',
  falseMessage: 'kubelet has sufficient memory available',
  trueReason: 'KubeletHasInsufficientMemory',
  trueMessage: 'kubelet has insufficient memory available',
};
const DISK: ConditionText = {
  type: 'DiskPressure',
  falseReason: 'KubeletHasNoDiskPressure',
  falseMessage: 'kubelet has no disk pressure',
  trueReason: 'KubeletHasDiskPressure',
  trueMessage: 'kubelet has disk pressure',
};
const PID: ConditionText = {
  type: 'PIDPressure',
  falseReason: 'KubeletHasSufficientPID',
  falseMessage: 'kubelet has sufficient PID available',
  trueReason: 'KubeletHasInsufficientPID',
  trueMessage: 'kubelet has insufficient PID available',
};

function condition(text: ConditionText, pressure: boolean, now: string): Record<string, string> {
  return {
    type: text.type,
    status: pressure ? 'True' : 'False',
    reason: pressure ? text.trueReason : text.falseReason,
    message: pressure ? text.trueMessage : text.falseMessage,
    // The cloud keeps the earlier transition time while the status stays the same (protocol.md R17).
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
}

/** The three conditions, in kubelet's order, for the figures given. */
export function pressureConditions(figures: PressureFigures, now: Date): Record<string, string>[] {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const nodefsPercent = figures.nodefsCapacityBytes > 0 ? (figures.nodefsAvailableBytes / figures.nodefsCapacityBytes) * 100 : 100;
  return [
    condition(MEMORY, figures.memoryAvailableBytes < DEFAULT_EVICTION_HARD.memoryAvailableBytes, at),
    condition(DISK, nodefsPercent < DEFAULT_EVICTION_HARD.nodefsAvailablePercent, at),
    condition(PID, figures.pidsAvailable !== undefined && figures.pidsAvailable <= 0, at),
  ];
}

/** The host's figures now; `dataDir` is the folder whose file system is the node's nodefs. */
export function readPressureFigures(dataDir: string): PressureFigures {
  const fs = statfsSync(dataDir);
  return {
    memoryAvailableBytes: memAvailable() ?? freemem(),
    nodefsAvailableBytes: fs.bavail * fs.bsize,
    nodefsCapacityBytes: fs.blocks * fs.bsize,
    pidsAvailable: pidsAvailable(),
  };
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    // Not Linux, or /proc not mounted: the figure is unknown, not a failure.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') return undefined;
    throw err;
  }
}

function memAvailable(): number | undefined {
  const m = /^MemAvailable:\s+(\d+) kB$/m.exec(readProc('/proc/meminfo') ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

function pidsAvailable(): number | undefined {
  const max = Number((readProc('/proc/sys/kernel/pid_max') ?? '').trim());
  if (!Number.isSafeInteger(max) || max <= 0) return undefined;
  const running = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  return max - running;
}
