/**
 * The two exchanges with the bootstrap endpoint. Join: pin the CA by the token's hash, make a key
 * here, send a CSR with the token. Renew: the same with the current certificate as identity.
 * Neither writes anything until the new certificate is checked against the key it was made for.
 */
import { X509Certificate } from 'node:crypto';
import { caCertificateHash, parseJoinToken } from '../../certs/join-token.js';
import { certificateMatchesKey } from '../../certs/key-match.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { fetchCaUnverified, requestJoin, requestRenewal } from './bootstrap-client.js';
import type { NodeCredentials } from './node-credentials.js';

/** Loaded when a key is made (join, renewal), not at every start: @peculiar/x509 is heavy. */
async function newKeyAndCsr(commonName: string, organizations: string[]): Promise<{ keyPem: string; csrPem: string }> {
  const { createKeyAndCsr } = await import('../../certs/node-csr.js');
  return createKeyAndCsr(commonName, organizations);
}

const NODE_USER_PREFIX = 'system:node:';
const NODES_GROUP = 'system:nodes';

export interface JoinedNode {
  credentials: NodeCredentials;
  hubUrl: string;
}

export async function joinCloud(server: string, tokenText: string, nodeName: string): Promise<Result<JoinedNode>> {
  const token = parseJoinToken(tokenText);
  if (!token.ok) return token;
  const caPem = await fetchCaUnverified(server);
  if (!caPem.ok) return caPem;
  const caHash = caCertificateHash(caPem.value);
  if (!caHash.ok) return fail('Invalid', `the CA served by ${server} cannot be read: ${caHash.message}`);
  if (caHash.value !== token.value.caHash) {
    return fail(
      'Forbidden',
      `the CA served by ${server} does not match the token (its sha256 is ${caHash.value}, the token pins ${token.value.caHash}): ` +
        'the token belongs to another cloud, or something between here and the cloud is impersonating it',
    );
  }
  const request = await newKeyAndCsr(`${NODE_USER_PREFIX}${nodeName}`, [NODES_GROUP]);
  const answer = await requestJoin(server, caPem.value, { token: tokenText.trim(), nodeName, csr: request.csrPem });
  if (!answer.ok) return answer;
  const returnedCa = caCertificateHash(answer.value.caCertificate);
  if (!returnedCa.ok || returnedCa.value !== token.value.caHash) return fail('Forbidden', 'the cloud answered with a CA that does not match the token');
  const checked = checkIssued(answer.value.certificate, request.keyPem, caPem.value, nodeName);
  if (!checked.ok) return checked;
  return ok({ credentials: { caPem: caPem.value, certPem: answer.value.certificate, keyPem: request.keyPem }, hubUrl: answer.value.hubUrl });
}

export async function renewCertificate(server: string, current: NodeCredentials, nodeName: string): Promise<Result<NodeCredentials>> {
  const request = await newKeyAndCsr(`${NODE_USER_PREFIX}${nodeName}`, [NODES_GROUP]);
  const certPem = await requestRenewal(server, { caPem: current.caPem, certPem: current.certPem, keyPem: current.keyPem }, { csr: request.csrPem, nodeName });
  if (!certPem.ok) return certPem;
  const checked = checkIssued(certPem.value, request.keyPem, current.caPem, nodeName);
  if (!checked.ok) return checked;
  return ok({ caPem: current.caPem, certPem: certPem.value, keyPem: request.keyPem });
}

/** The answer must be for our key, signed by the pinned CA, and name this node. */
function checkIssued(certPem: string, keyPem: string, caPem: string, nodeName: string): Result<void> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return fail('Invalid', 'the cloud answered with a certificate that cannot be parsed');
  }
  if (!certificateMatchesKey(certPem, keyPem)) return fail('Invalid', 'the cloud answered with a certificate for another key');
  if (!cert.verify(new X509Certificate(caPem).publicKey)) return fail('Invalid', 'the cloud answered with a certificate the CA did not sign');
  if (!cert.subject.split('\n').includes(`CN=${NODE_USER_PREFIX}${nodeName}`)) {
    return fail('Invalid', `the cloud answered with a certificate for "${cert.subject.replace(/\n/g, ', ')}", not node ${nodeName}`);
  }
  return ok(undefined);
}
