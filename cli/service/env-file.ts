/**
 * The service's environment file: the secrets the agent reads from its environment, kept out of
 * the unit (world-readable) and out of `ps` (docs/install.md § Secrets).
 */
import { fail, ok, type Result } from '../../shared/errors.js';

export interface EnvEntry {
  name: string;
  value: string;
  /** What --dry-run prints instead of the value. */
  masked: string;
}

/** Values written unquoted; anything else is double-quoted (systemd.exec(5) § EnvironmentFile=). */
const PLAIN = /^[A-Za-z0-9_@%+=:,.*/-]*$/;

function envValue(value: string): Result<string, 'Invalid'> {
  if (/[\u0000-\u001f\u007f]/.test(value)) return fail('Invalid', 'a secret holds a control character and cannot go in an environment file');
  if (PLAIN.test(value)) return ok(value);
  return ok(`"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('$', '\\$').replaceAll('`', '\\`')}"`);
}

export function renderEnvFile(unitName: string, entries: readonly EnvEntry[], masked = false): Result<string, 'Invalid'> {
  const lines = [`# Environment of ${unitName}, written by \`outpost service install\`; keep it mode 0600.`];
  for (const entry of entries) {
    const value = envValue(masked ? entry.masked : entry.value);
    if (!value.ok) return value;
    lines.push(`${entry.name}=${value.value}`);
  }
  return ok(`${lines.join('\n')}\n`);
}

/** A join token with its secret part hidden; the CA hash and the token id are not secret. */
export function maskJoinToken(token: string): string {
  const dot = token.lastIndexOf('.');
  return dot === -1 ? '********' : `${token.slice(0, dot + 1)}${'*'.repeat(token.length - dot - 1)}`;
}
