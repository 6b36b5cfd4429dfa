import { issueCertificate } from '../../certs/index.js';
import { readClusterCa } from '../shared/index.js';
import { NODE_GROUP, NODE_USER_PREFIX } from '../../shared/protocol/index.js';

/** What a node dials CloudHub with: the cluster CA and its own certificate and key. */
export interface NodeTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export class NodeCertificateError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * A node certificate signed with the CA in a cloudcore data folder: exactly what the join flow
 * hands any holder of a join token (CN system:node:<name>, O system:nodes, client usage).
 */
export async function nodeTls(cloudDataDir: string, nodeName: string): Promise<NodeTls> {
  const ca = await readClusterCa(cloudDataDir);
  if (!ca.ok) throw new NodeCertificateError(ca.code, `the cluster CA of ${cloudDataDir}: ${ca.message}`);
  const cert = await issueCertificate({ ca: ca.value, subject: { commonName: `${NODE_USER_PREFIX}${nodeName}`, organizations: [NODE_GROUP] }, usages: 'client', lifetimeDays: 1 });
  if (!cert.ok) throw new NodeCertificateError(cert.code, `a certificate for ${nodeName}: ${cert.message}`);
  return { caPem: ca.value.certPem, certPem: cert.value.certPem, keyPem: cert.value.keyPem };
}
