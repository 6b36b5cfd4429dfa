import { readFileSync } from 'node:fs';
import { OutpostError } from '../shared/errors.js';

/** The environment variable a join token may come from, as K3s reads K3S_TOKEN. */
export const TOKEN_ENV = 'OUTPOST_TOKEN';

export const TOKEN_HELP = {
  token: `join token (from \`outpost token create\`); visible to every user in \`ps\`: prefer --token-file or ${TOKEN_ENV}`,
  tokenFile: `file holding the join token (as K3s' --token-file); keep it 0600`,
};

/**
 * The join token from --token, --token-file or OUTPOST_TOKEN (docs/limits.md § Join):
 * a token on the command line stays visible in `ps` for the process's whole life, a file or the
 * environment does not. At most one of the two flags; the environment is the fallback.
 */
export function resolveJoinToken(flags: { token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flags.token !== undefined && flags.tokenFile !== undefined) {
    throw new OutpostError('ConfigInvalid', 'give the join token once: --token or --token-file, not both');
  }
  if (flags.token !== undefined) return flags.token;
  if (flags.tokenFile !== undefined) return readTokenFile(flags.tokenFile);
  const fromEnv = env[TOKEN_ENV]?.trim();
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OutpostError('ConfigInvalid', `cannot read --token-file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const token = text.trim();
  if (token === '') throw new OutpostError('ConfigInvalid', `--token-file ${file} is empty`);
  return token;
}
