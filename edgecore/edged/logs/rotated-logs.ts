/**
 * A container log's rotated files, kubelet's naming (container_log_manager.go):
 * `<log path>.<YYYYMMDD-hhmmss>` beside the live file, oldest first when sorted by name.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const STAMP = /^\d{8}-\d{6}$/;

export async function rotatedLogsOf(logPath: string): Promise<string[]> {
  const prefix = `${basename(logPath)}.`;
  let entries: string[];
  try {
    entries = await readdir(dirname(logPath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.startsWith(prefix) && STAMP.test(e.slice(prefix.length)))
    .sort()
    .map((e) => join(dirname(logPath), e));
}

/** The name a rotation gives the live file now (UTC, to the second). */
export function rotatedName(logPath: string, at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `${logPath}.${stamp}`;
}
