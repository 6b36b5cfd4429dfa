/**
 * Whether an edge agent (`outpost up` or `outpost edge`) still runs on an edge folder: its
 * endpoints.json names the pid that wrote it (docs/architecture.md § Processes, ports and data)
 * and the hub's connection phase (`stopped` after a clean stop). `outpost reset` refuses while one
 * runs: the agent would start the pods again right after.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const endpointsSchema = z.looseObject({ pid: z.number().int().positive(), connection: z.string().optional() });

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined; // no such process (or it just ended)
  }
}

/** The pid of the agent running on `edgeDir`, or undefined. */
export function runningAgentOf(edgeDir: string): number | undefined {
  const file = join(edgeDir, 'endpoints.json');
  if (!existsSync(file)) return undefined;
  let parsed: z.infer<typeof endpointsSchema>;
  try {
    const result = endpointsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!result.success) return undefined;
    parsed = result.data;
  } catch {
    return undefined; // not JSON: no agent wrote it completely (it is written atomically)
  }
  if (parsed.pid === process.pid || parsed.connection === 'stopped') return undefined;
  // A pid reused by some other program is not our agent.
  return commandLine(parsed.pid)?.includes('outpost') === true ? parsed.pid : undefined;
}
