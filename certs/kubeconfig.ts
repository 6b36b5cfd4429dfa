/**
 * A standard kubeconfig (clientcmd v1 Config) with the CA and client credentials embedded as
 * base64 *-data fields, so the file works from any directory and kubectl needs nothing else.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { PRIVATE_DIR_MODE, SECRET_FILE_MODE, writeFileAtomic } from './files.js';

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  user?: string;
  clusterName?: string;
  contextName?: string;
}

export const DEFAULT_CLUSTER_NAME = 'outpost';
export const DEFAULT_USER_NAME = 'admin';
export const DEFAULT_CONTEXT_NAME = 'outpost';

export function buildKubeconfig(opts: KubeconfigOptions): string {
  const cluster = opts.clusterName ?? DEFAULT_CLUSTER_NAME;
  const user = opts.user ?? DEFAULT_USER_NAME;
  const context = opts.contextName ?? DEFAULT_CONTEXT_NAME;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': base64(opts.caPem) } }],
    users: [
      {
        name: user,
        user: { 'client-certificate-data': base64(opts.certPem), 'client-key-data': base64(opts.keyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  };
  return stringify(config);
}

/** Writes the kubeconfig with mode 0600 (it holds a private key), atomically. */
export async function writeKubeconfig(file: string, opts: KubeconfigOptions): Promise<void> {
  // Folders we create are 0700; an existing folder (say ~/.kube) is not ours to chmod.
  await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  await writeFileAtomic(file, buildKubeconfig(opts), SECRET_FILE_MODE);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
