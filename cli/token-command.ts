/**
 * `outpost token create|list|revoke`: join tokens as Secrets in kube-system, written through the
 * API with admin.kubeconfig (certs/join-token-secret.ts has the Secret's shape). `create` prints
 * the join command with the cloud's real join address (join-command-line.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  buildTokenSecret,
  caCertificateHash,
  formatJoinToken,
  generateJoinToken,
  hashTokenSecret,
  parseDuration,
  readTokenSecret,
  rfc3339,
  tokenSecretName,
  TOKEN_NAMESPACE,
  type StoredJoinToken,
} from '../certs/index.js';
import { OutpostError } from '../shared/errors.js';
import { joinCommandLine, resolveJoinAddress } from './join-command-line.js';
import { adminKubeconfigPath, createIfAbsent, openAdminApi, statusMessage, type AdminApi } from './admin-api-client.js';

interface TokenFlags {
  dataDir?: string;
  kubeconfig?: string;
}

interface CreateFlags extends TokenFlags {
  ttl: number;
  nodeName?: string;
  description?: string;
  server?: string;
  output: 'command' | 'token';
  printTokenOnly?: boolean;
}

const SECRETS_PATH = `/api/v1/namespaces/${TOKEN_NAMESPACE}/secrets`;

function api(flags: TokenFlags): Promise<AdminApi> {
  return openAdminApi(flags.kubeconfig ?? adminKubeconfigPath(flags.dataDir ?? '.outpost'));
}

function ttlSeconds(value: string): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.message);
  return parsed.value;
}

function nodeName(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    throw new InvalidArgumentError('must be a lower-case DNS subdomain (a-z, 0-9, "-" and ".")');
  }
  return value;
}

export async function createToken(flags: TokenFlags & { ttl: number; nodeName?: string; description?: string }): Promise<string> {
  const client = await api(flags);
  const caHash = caCertificateHash(client.caPem);
  if (!caHash.ok) throw new OutpostError('ConfigInvalid', caHash.message);
  // An id that collides with an existing token (1 in 2 billion) is simply drawn again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = generateJoinToken(caHash.value);
    const stored: StoredJoinToken = {
      id: token.id,
      secretHash: hashTokenSecret(token.secret),
      ...(flags.ttl > 0 ? { expiresAt: new Date(Date.now() + flags.ttl * 1000) } : {}),
      ...(flags.nodeName === undefined ? {} : { nodeName: flags.nodeName }),
      ...(flags.description === undefined ? {} : { description: flags.description }),
    };
    const answer = await createIfAbsent(client, SECRETS_PATH, buildTokenSecret(stored));
    if (answer.outcome === 'created') return formatJoinToken(token);
    if (answer.outcome === 'refused') throw new OutpostError('Internal', `the API refused the token (${answer.status}): ${statusMessage(answer.body)}`);
  }
  throw new OutpostError('Conflict', 'could not find a free token id');
}

export async function listTokens(flags: TokenFlags): Promise<StoredJoinToken[]> {
  const client = await api(flags);
  const res = await client.call('GET', SECRETS_PATH);
  if (res.status !== 200) throw new OutpostError('Internal', `cannot list tokens (${res.status}): ${statusMessage(res.body)}`);
  const items = (res.body as { items?: unknown[] }).items ?? [];
  return items.map(readTokenSecret).flatMap((t) => (t.ok ? [t.value] : []));
}

export async function revokeToken(flags: TokenFlags, idOrToken: string): Promise<void> {
  const id = idOrToken.split('.').length === 3 ? (idOrToken.split('.')[1] ?? '') : idOrToken;
  if (!/^[a-z0-9]{6}$/.test(id)) throw new OutpostError('Invalid', `"${idOrToken}" is not a token id (6 characters a-z, 0-9) or a token`);
  const client = await api(flags);
  const path = `${SECRETS_PATH}/${tokenSecretName(id)}`;
  const res = await client.call('GET', path);
  if (res.status === 404) throw new OutpostError('NotFound', `token ${id} does not exist`);
  if (res.status !== 200) throw new OutpostError('Internal', `cannot read token ${id} (${res.status}): ${statusMessage(res.body)}`);
  const stored = readTokenSecret(res.body);
  if (!stored.ok) throw new OutpostError('Invalid', stored.message);
  if (stored.value.revokedAt !== undefined) return;
  // Kept as a tombstone, so a join with it is told "revoked" rather than "unknown".
  const updated = buildTokenSecret({ ...stored.value, revokedAt: new Date() });
  updated.metadata.resourceVersion = (res.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const put = await client.call('PUT', path, updated);
  if (put.status !== 200) throw new OutpostError('Internal', `cannot revoke token ${id} (${put.status}): ${statusMessage(put.body)}`);
}

export function formatTokenTable(tokens: StoredJoinToken[], now: Date): string {
  const rows = [['ID', 'TTL', 'EXPIRES', 'NODE', 'USAGES', 'STATUS', 'DESCRIPTION']];
  for (const t of [...tokens].sort((a, b) => a.id.localeCompare(b.id))) {
    const expired = t.expiresAt !== undefined && t.expiresAt <= now;
    const ttl = t.expiresAt === undefined ? '<forever>' : expired ? '<expired>' : humanSeconds((t.expiresAt.getTime() - now.getTime()) / 1000);
    const status = t.revokedAt !== undefined ? 'revoked' : expired ? 'expired' : 'valid';
    rows.push([t.id, ttl, t.expiresAt === undefined ? '<never>' : rfc3339(t.expiresAt), t.nodeName ?? '<any>', 'join', status, t.description ?? '']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ').trimEnd()).join('\n');
}

function humanSeconds(seconds: number): string {
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)}d`;
  if (seconds >= 3_600) return `${Math.floor(seconds / 3_600)}h`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}m`;
  return `${Math.max(0, Math.floor(seconds))}s`;
}

function addTargetFlags(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'the cloud data directory whose admin.kubeconfig to use (default .outpost)')
    .option('--kubeconfig <file>', 'an admin kubeconfig (overrides --data-dir)');
}

export function tokenCommand(): Command {
  const token = new Command('token').description('manage join tokens for edge nodes');
  addTargetFlags(token.command('create'))
    .description('create a join token and print the command that joins a machine with it')
    .option('--ttl <duration>', 'how long the token works (e.g. 24h, 30m; 0 = never expires)', ttlSeconds, 86_400)
    .option('--node-name <name>', 'the token joins only this node name, and may re-join it while its certificate is valid', nodeName)
    .option('--description <text>', 'a note shown by `token list`')
    .option('--server <host:port>', 'the join endpoint address to print in the command (default: the one the running cloud published)')
    .addOption(new Option('-o, --output <what>', 'print the join command, or the token alone (for scripts)').choices(['command', 'token']).default('command'))
    .option('--print-token-only', 'the same as -o token')
    .action(async (flags: CreateFlags) => {
      const token = await createToken(flags);
      if (flags.printTokenOnly === true || flags.output === 'token') {
        console.log(token);
        return;
      }
      const client = await api(flags);
      const join = await resolveJoinAddress({ server: flags.server, dataDir: flags.dataDir ?? '.outpost', usesOwnKubeconfig: flags.kubeconfig !== undefined, apiServer: client.server });
      // stdout is the command alone, on a terminal or not; the explanation goes to stderr.
      const node = flags.nodeName === undefined ? 'a node named after that machine\'s host name' : `node ${flags.nodeName}`;
      const validity = flags.ttl > 0 ? `the token works for ${humanSeconds(flags.ttl)}` : 'the token works until revoked';
      if (process.stderr.isTTY) console.error(`On the machine to join, run this (it joins as ${node}, then runs the edge agent; ${validity}):`);
      console.log(joinCommandLine({ address: join.address, token, nodeName: flags.nodeName }));
      if (join.warning !== undefined) console.error(`note: ${join.warning}`);
      if (process.stderr.isTTY) console.error('Add --data-dir DIR to keep the edge\'s data elsewhere than ./.outpost; `-o token` prints the token alone.');
    });
  addTargetFlags(token.command('list'))
    .description('list join tokens')
    .action(async (flags: TokenFlags) => {
      console.log(formatTokenTable(await listTokens(flags), new Date()));
    });
  addTargetFlags(token.command('revoke <id>'))
    .description('revoke a join token (by id, or the whole token)')
    .action(async (id: string, flags: TokenFlags) => {
      await revokeToken(flags, id);
      console.log(`token ${id.split('.').length === 3 ? id.split('.')[1] : id} revoked`);
    });
  return token;
}
