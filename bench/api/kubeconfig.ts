import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/** The credentials the benchmark needs from the admin kubeconfig, decoded to PEM. */
export interface ClientCredentials {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const kubeconfigSchema = z.object({
  'current-context': z.string().optional(),
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string(), 'certificate-authority-data': z.string() }) })).min(1),
  users: z.array(z.object({ name: z.string(), user: z.object({ 'client-certificate-data': z.string(), 'client-key-data': z.string() }) })).min(1),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })).default([]),
});

/** Reads a kubeconfig with embedded *-data credentials, following current-context when set. */
export async function readKubeconfig(file: string): Promise<Result<ClientCredentials>> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (err) {
    return fail('Invalid', `cannot read kubeconfig ${file}: ${errorMessage(err)}`);
  }
  const parsed = kubeconfigSchema.safeParse(doc);
  if (!parsed.success) return fail('Invalid', `kubeconfig ${file}: ${parsed.error.message}`);
  const config = parsed.data;
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = (config.clusters.find((c) => c.name === context?.cluster) ?? config.clusters[0])?.cluster;
  const user = (config.users.find((u) => u.name === context?.user) ?? config.users[0])?.user;
  if (cluster === undefined || user === undefined) return fail('Invalid', `kubeconfig ${file} names no cluster or user`);
  const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  return ok({
    server: cluster.server,
    caPem: decode(cluster['certificate-authority-data']),
    certPem: decode(user['client-certificate-data']),
    keyPem: decode(user['client-key-data']),
  });
}
