import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A ready process writes the addresses it actually bound to endpoints.json (docs/architecture.md § Processes, ports and data).
 * Tests and tools wait for this file instead of sleeping. It is written atomically (temp + rename)
 * so a reader never sees half a file.
 */
export type Endpoints = Record<string, string>;

export async function writeEndpoints(file: string, endpoints: Endpoints): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ pid: process.pid, ...endpoints }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
