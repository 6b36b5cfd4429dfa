/**
 * Static bearer tokens in Kubernetes' --token-auth-file format: one `token,user,uid[,"g1,g2"]`
 * record per line. Blank lines and lines starting with # are skipped.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../shared/errors.js';
import { parseCsvRecord } from './csv-record.js';
import type { UserIdentity } from './types.js';

export interface TokenEntry {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

/** Parses the whole file and reports every bad line at once, each with its line number. */
export function parseTokenFile(text: string): Result<TokenEntry[]> {
  const entries: TokenEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const entry = parseTokenLine(line);
    if (!entry.ok) {
      problems.push(`line ${lineNumber}: ${entry.message}`);
      return;
    }
    const firstLine = seen.get(entry.value.token);
    if (firstLine !== undefined) {
      // Kubernetes lets the last one win with a warning; an ambiguous credential is refused here.
      problems.push(`line ${lineNumber}: duplicate token (first on line ${firstLine})`);
      return;
    }
    seen.set(entry.value.token, lineNumber);
    entries.push(entry.value);
  });
  if (problems.length > 0) return fail('Invalid', `token file: ${problems.join('; ')}`);
  return ok(entries);
}

function parseTokenLine(line: string): Result<TokenEntry> {
  const record = parseCsvRecord(line);
  if (!record.ok) return record;
  const [token = '', user = '', uid = '', groups = '', ...extra] = record.value;
  if (record.value.length < 3) {
    return fail('Invalid', `expected at least 3 columns (token, user name, user uid), found ${record.value.length}`);
  }
  if (extra.length > 0) return fail('Invalid', `expected at most 4 columns, found ${record.value.length}`);
  if (token === '') return fail('Invalid', 'token is empty');
  if (/\s/.test(token)) return fail('Invalid', 'token contains whitespace');
  if (user === '') return fail('Invalid', 'user name is empty');
  const groupList = groups
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  return ok({ token, user, uid, groups: groupList });
}

/** 32 random bytes, base64url: 43 characters safe in headers, CSV and URLs. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export type TokenAuthenticator = (token: string) => UserIdentity | undefined;

/**
 * Looks a bearer token up without leaking, through timing, how much of it matched: every entry is
 * compared, by SHA-256 digest (equal lengths for timingSafeEqual), with no early exit.
 */
export function createTokenAuthenticator(entries: readonly TokenEntry[]): TokenAuthenticator {
  const table = entries.map((entry) => ({
    digest: sha256(entry.token),
    identity: { user: entry.user, uid: entry.uid, groups: [...entry.groups] } satisfies UserIdentity,
  }));
  return (token) => {
    const digest = sha256(token);
    let found: UserIdentity | undefined;
    for (const row of table) {
      if (timingSafeEqual(row.digest, digest) && found === undefined) found = row.identity;
    }
    return found === undefined ? undefined : { ...found, groups: [...found.groups] };
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
