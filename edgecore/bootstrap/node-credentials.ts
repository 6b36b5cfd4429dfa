/**
 * The node's credentials on disk: pki/ca.crt, pki/node.crt and pki/node.key (0600, folders 0700).
 * A certificate and its key cannot be replaced in one atomic step, so a new pair is written as
 * node.key.next → node.crt → rename to node.key; loading finishes or discards a pair that a crash
 * interrupted, so a node never ends up with a certificate and a key that do not belong together.
 */
import { rename, rm } from 'node:fs/promises';
import { ensurePrivateDir, PUBLIC_FILE_MODE, readOptionalFile, SECRET_FILE_MODE, writeFileAtomic } from '../../certs/files.js';
import { certificateMatchesKey } from '../../certs/key-match.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { EdgePaths } from './edge-paths.js';

export interface NodeCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** NotFound when the node has not joined yet; Invalid when the files are damaged. */
export async function loadNodeCredentials(paths: EdgePaths): Promise<Result<NodeCredentials, 'NotFound' | 'Invalid'>> {
  const [caPem, certPem, keyPem, nextPem] = await Promise.all([paths.caCert, paths.nodeCert, paths.nodeKey, paths.nextKey].map(readOptionalFile));
  if (caPem === undefined || certPem === undefined) return fail('NotFound', `no node certificate in ${paths.pkiDir}`);
  if (nextPem !== undefined) {
    if (certificateMatchesKey(certPem, nextPem)) {
      await rename(paths.nextKey, paths.nodeKey);
      return ok({ caPem, certPem, keyPem: nextPem });
    }
    await rm(paths.nextKey, { force: true });
  }
  if (keyPem === undefined) return fail('NotFound', `no node key in ${paths.pkiDir}`);
  if (!certificateMatchesKey(certPem, keyPem)) return fail('Invalid', `${paths.nodeCert} does not belong to ${paths.nodeKey}`);
  return ok({ caPem, certPem, keyPem });
}

export async function saveNodeCredentials(paths: EdgePaths, creds: NodeCredentials): Promise<void> {
  await ensurePrivateDir(paths.edgeDir);
  await ensurePrivateDir(paths.pkiDir);
  await writeFileAtomic(paths.caCert, creds.caPem, PUBLIC_FILE_MODE);
  await writeFileAtomic(paths.nextKey, creds.keyPem, SECRET_FILE_MODE);
  await writeFileAtomic(paths.nodeCert, creds.certPem, PUBLIC_FILE_MODE);
  await rename(paths.nextKey, paths.nodeKey);
}
