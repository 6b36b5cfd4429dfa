/**
 * A small HTTPS client for the cloud's API with admin.kubeconfig, for CLI commands (tokens). The
 * CLI never opens state.db (DESIGN § Processes). When the cloud is not running, the caller gets
 * a plain explanation rather than a socket error.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { errorMessage, OutpostError } from '../shared/errors.js';

export interface AdminApi {
  server: string;
  caPem: string;
  /** `headers` add to or replace the defaults (Accept: application/json), e.g. to ask for a Table. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
}

const kubeconfigSchema = z.object({
  clusters: z.array(z.object({ cluster: z.object({ server: z.string(), 'certificate-authority-data': z.string() }) })).min(1),
  users: z.array(z.object({ user: z.object({ 'client-certificate-data': z.string(), 'client-key-data': z.string() }) })).min(1),
});

export function adminKubeconfigPath(dataDir: string): string {
  return join(dataDir, 'cloud', 'admin.kubeconfig');
}

export async function openAdminApi(kubeconfigFile: string): Promise<AdminApi> {
  let text: string;
  try {
    text = await readFile(kubeconfigFile, 'utf8');
  } catch {
    throw new OutpostError('Unavailable', `cannot read ${kubeconfigFile}: is the cloud set up here? Start it with \`outpost cloud\` (or pass --data-dir / --kubeconfig)`);
  }
  const parsed = kubeconfigSchema.safeParse(parseYaml(text));
  if (!parsed.success) throw new OutpostError('ConfigInvalid', `${kubeconfigFile} is not a kubeconfig with embedded certificates`);
  const cluster = parsed.data.clusters[0]?.cluster;
  const user = parsed.data.users[0]?.user;
  if (cluster === undefined || user === undefined) throw new OutpostError('ConfigInvalid', `${kubeconfigFile} has no cluster or user`);
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  const tls = { ca: decode(cluster['certificate-authority-data']), cert: decode(user['client-certificate-data']), key: decode(user['client-key-data']) };
  return {
    server: cluster.server,
    caPem: tls.ca,
    call: (method, path, body, headers) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(new URL(path, cluster.server), {
          method,
          ...tls,
          timeout: 15_000,
          headers: { Accept: 'application/json', ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }), ...headers },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let parsedBody: unknown = raw;
            try {
              parsedBody = raw === '' ? undefined : JSON.parse(raw);
            } catch {
              // Not JSON (a proxy's error page?): the caller reports the text as is.
            }
            resolve({ status: res.statusCode ?? 0, body: parsedBody });
          });
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || err.code === 'EHOSTUNREACH') {
            reject(new OutpostError('Unavailable', `the cloud API at ${cluster.server} is not answering (${err.code}): is cloudcore running? Start it with \`outpost cloud\``));
          } else {
            reject(new OutpostError('Unavailable', `cannot reach the cloud API at ${cluster.server}: ${errorMessage(err)}`));
          }
        });
        req.end(payload);
      }),
  };
}

/** The message of a Kubernetes Status answer, or the raw body. */
export function statusMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export type CreateIfAbsentAnswer = { outcome: 'created' | 'exists' } | { outcome: 'refused'; status: number; body: unknown };

const statusReasonSchema = z.object({ reason: z.string() });

/**
 * POSTs an object and accepts that it already exists (409 AlreadyExists), as cloudcore's
 * in-process createIfAbsent does: the CLI's one way to "create unless there". Any other answer
 * is returned for the caller to word.
 */
export async function createIfAbsent(api: AdminApi, path: string, body: unknown): Promise<CreateIfAbsentAnswer> {
  const res = await api.call('POST', path, body);
  if (res.status === 201) return { outcome: 'created' };
  const reason = statusReasonSchema.safeParse(res.body);
  if (res.status === 409 && reason.success && reason.data.reason === 'AlreadyExists') return { outcome: 'exists' };
  return { outcome: 'refused', status: res.status, body: res.body };
}
