/**
 * Reads back what `outpost service install` wrote the way systemd reads it, so a test can run the
 * unit's command with the unit's environment on a machine without systemd as PID 1
 * (systemd.service(5) § Command lines, systemd.exec(5) § EnvironmentFile=).
 */
import { spawnSync } from 'node:child_process';

/** ExecStart's words: continuation lines joined, quotes and `%%`/`$$` undone. */
export function execStartOf(unit: string): string[] {
  const line = unit.replace(/\\\n\s*/g, ' ').split('\n').find((l) => l.startsWith('ExecStart='));
  if (line === undefined) throw new Error(`no ExecStart in the unit:\n${unit}`);
  const words: string[] = [];
  for (const match of line.slice('ExecStart='.length).matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)) {
    const word = match[1] === undefined ? (match[2] ?? '') : match[1].replace(/\\(.)/g, '$1');
    words.push(word.replaceAll('%%', '%').replaceAll('$$', '$'));
  }
  return words;
}

/** NAME=value lines of an environment file, double quotes undone. */
export function environmentOf(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const name = line.slice(0, line.indexOf('='));
    const raw = line.slice(line.indexOf('=') + 1);
    env[name] = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return env;
}

/** `systemd-analyze verify` of a unit file: its exit code and everything it printed. */
export function verifyUnit(file: string): { status: number | null; output: string } {
  const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  if (res.error !== undefined) throw new Error(`systemd-analyze could not run (Debian package systemd): ${res.error.message}`);
  return { status: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}
