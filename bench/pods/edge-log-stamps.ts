import { z } from 'zod';

/**
 * Edge-side stamps from edgecore's own log (pino JSON lines, ISO time with milliseconds, on
 * stdout): edged logs "creating pod sandbox" when a pod's sync has read the runtime and is about
 * to call RunPodSandbox (edgecore/edged/pods/apply-actions.ts). Times are epoch milliseconds.
 */
export const SANDBOX_START_MESSAGE = 'creating pod sandbox';

const logLineSchema = z.object({ msg: z.string(), time: z.string(), pod: z.string().optional(), namespace: z.string().optional() });

export interface SandboxStartStamp {
  namespace: string;
  pod: string;
  atMs: number;
}

/** One log line → the stamp it carries, if it is edged's "creating pod sandbox". */
export function parseSandboxStart(line: string): SandboxStartStamp | undefined {
  if (!line.includes(SANDBOX_START_MESSAGE)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined; // not a pino line (e.g. containerd output passed through)
  }
  const parsed = logLineSchema.safeParse(json);
  if (!parsed.success || parsed.data.msg !== SANDBOX_START_MESSAGE || parsed.data.pod === undefined) return undefined;
  const atMs = Date.parse(parsed.data.time);
  if (!Number.isFinite(atMs)) return undefined;
  return { namespace: parsed.data.namespace ?? '', pod: parsed.data.pod, atMs };
}

/** Collects the first sandbox-start stamp of each pod from a stream of output chunks. */
export class EdgeLogStamps {
  private readonly first = new Map<string, number>();
  private pending = '';

  onChunk(chunk: string): void {
    this.pending += chunk;
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      const stamp = parseSandboxStart(line);
      const key = stamp === undefined ? undefined : `${stamp.namespace}/${stamp.pod}`;
      if (stamp !== undefined && key !== undefined && !this.first.has(key)) this.first.set(key, stamp.atMs);
      newline = this.pending.indexOf('\n');
    }
  }

  sandboxStartMs(namespace: string, pod: string): number | undefined {
    return this.first.get(`${namespace}/${pod}`);
  }
}
