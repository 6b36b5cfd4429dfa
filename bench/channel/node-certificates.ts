import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContext } from 'node:tls';
import { issueCertificate, loadCa } from '../../certs/index.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { NODE_GROUP, NODE_USER_PREFIX } from '../../shared/protocol/index.js';

/** Signatures in flight at once: WebCrypto signs on libuv's pool, so a few overlap usefully. */
const SIGNING_BATCH = 32;
const LIFETIME_DAYS = 2;

/**
 * One P-256 key pair for every hollow edge, as PKCS#8 PEM. Real edges each make their own key;
 * sharing one here only saves generating thousands of keys, and the server cannot tell.
 */
export function sharedNodeKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export interface NodeCredentials {
  nodeName: string;
  secureContext: SecureContext;
}

/**
 * Signs a node certificate (CN system:node:<name>, O system:nodes, client auth) for each name
 * with the cloud's own CA files, as the bootstrap endpoint would, and wraps each with the shared
 * key in a TLS context, so a dial later costs only the handshake.
 */
export async function issueNodeCredentials(opts: { nodes: readonly string[]; caCertFile: string; caKeyFile: string; sharedKeyFile: string }): Promise<Result<NodeCredentials[]>> {
  const [caCertPem, caKeyPem, keyPem] = await Promise.all([readFile(opts.caCertFile, 'utf8'), readFile(opts.caKeyFile, 'utf8'), readFile(opts.sharedKeyFile, 'utf8')]);
  const ca = await loadCa({ certPem: caCertPem, keyPem: caKeyPem });
  if (!ca.ok) return ca;
  const publicKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' }).toString();
  const out: NodeCredentials[] = [];
  for (let i = 0; i < opts.nodes.length; i += SIGNING_BATCH) {
    const batch = opts.nodes.slice(i, i + SIGNING_BATCH);
    const signed = await Promise.all(
      batch.map((nodeName) =>
        issueCertificate({ ca: ca.value, subject: { commonName: `${NODE_USER_PREFIX}${nodeName}`, organizations: [NODE_GROUP] }, usages: 'client', lifetimeDays: LIFETIME_DAYS, publicKey }),
      ),
    );
    for (const [k, result] of signed.entries()) {
      if (!result.ok) return fail(result.code, `node certificate for ${batch[k] ?? '?'}: ${result.message}`);
      out.push({ nodeName: batch[k] as string, secureContext: createSecureContext({ cert: result.value.certPem, key: keyPem, ca: caCertPem }) });
    }
  }
  return ok(out);
}
