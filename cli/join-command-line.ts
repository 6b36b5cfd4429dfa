/**
 * The join command `outpost token create` prints (docs/configuration.md § The join command): what
 * to run on another machine, with the join endpoint's address as that machine reaches it. The
 * running cloud wrote that address to endpoints.json (`join`); `--server` names another one.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const endpointsSchema = z.object({ join: z.string().min(1).optional(), bootstrap: z.string().optional() });

/** A node name placeholder the shell fills in on the joining machine (a DNS-1123 host name, lowercased). */
export const HOSTNAME_NODE_NAME = '"$(hostname | tr A-Z a-z)"';

export interface JoinAddress {
  address: string;
  /** Why this address, told to a person at a terminal when it is a guess. */
  warning?: string;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}

/**
 * The join endpoint's HOST:PORT: --server if given, else the `join` address the cloud published
 * in <dataDir>/cloud/endpoints.json, else the API server's host with the default join port.
 */
export async function resolveJoinAddress(options: { server?: string | undefined; dataDir: string; usesOwnKubeconfig: boolean; apiServer: string }): Promise<JoinAddress> {
  if (options.server !== undefined) return { address: options.server };
  if (!options.usesOwnKubeconfig) {
    const published = await readPublishedJoinAddress(join(options.dataDir, 'cloud', 'endpoints.json'));
    if (published !== undefined) return { address: published };
  }
  const host = new URL(options.apiServer).host.replace(/:\d+$/, '');
  const address = `${host}:10002`;
  const warning = isLoopback(host)
    ? `the cloud's address here is ${host}, which another machine cannot reach: pass --server HOST:PORT (the cloud's join endpoint) to print the command for it`
    : `assumed the join endpoint is on the API's host at the default port 10002; pass --server HOST:PORT if not`;
  return { address, warning };
}

async function readPublishedJoinAddress(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined; // no endpoints.json: not this machine's cloud, or an older one
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined; // written atomically (shared/endpoints.ts), so only a foreign file fails here
  }
  const parsed = endpointsSchema.safeParse(raw);
  return parsed.success ? parsed.data.join : undefined;
}

/** Quotes an address for sh where it needs it ([v6]:PORT has glob characters). */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._:/@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `outpost edge --server HOST:PORT --token T --node-name N`: joins, then runs the edge agent. */
export function joinCommandLine(options: { address: string; token: string; nodeName?: string | undefined }): string {
  const node = options.nodeName ?? HOSTNAME_NODE_NAME;
  return `outpost edge --server ${shellWord(options.address)} --token ${shellWord(options.token)} --node-name ${node}`;
}
