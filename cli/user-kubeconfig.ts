/**
 * `outpost kubeconfig create`: a user's kubeconfig made the way Kubernetes makes users
 * (docs/users.md § outpost kubeconfig create). A fresh key is made here and never leaves this
 * process except inside the kubeconfig; a CertificateSigningRequest for the
 * kube-apiserver-client signer is submitted and approved as the admin, and the certificate the
 * cloud's signer issues goes into the kubeconfig with the admin kubeconfig's server and CA.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { buildKubeconfig, createKeyAndCsr } from '../certs/index.js';
import { OutpostError } from '../shared/errors.js';
import { statusMessage, type AdminApi } from './admin-api-client.js';

export interface UserKubeconfigRequest {
  /** The user: the certificate's CN. */
  name: string;
  /** The groups: the certificate's O values. */
  groups: string[];
  /** Requested lifetime (spec.expirationSeconds); undefined leaves it to the signer's maximum. */
  ttlSeconds?: number;
  /** How long to wait for the signer. */
  timeoutMs: number;
}

export const SIGNER_NAME = 'kubernetes.io/kube-apiserver-client';
const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const POLL_MS = 200;

const conditionSchema = z.object({ type: z.string(), reason: z.string().optional(), message: z.string().optional() }).loose();
const csrSchema = z
  .object({
    metadata: z.object({ name: z.string(), resourceVersion: z.string().optional() }).loose(),
    status: z.object({ conditions: z.array(conditionSchema).optional(), certificate: z.string().optional() }).loose().optional(),
  })
  .loose();
type Csr = z.infer<typeof csrSchema>;

/** Makes the key, submits and approves the request, waits for the certificate; returns the kubeconfig text. */
export async function createUserKubeconfig(api: AdminApi, request: UserKubeconfigRequest): Promise<string> {
  const { keyPem, csrPem } = await createKeyAndCsr(request.name, request.groups);
  const submitted = await submit(api, request, csrPem);
  const name = submitted.metadata.name;
  await approve(api, submitted);
  const certPem = await waitForCertificate(api, name, request.timeoutMs);
  return buildKubeconfig({ server: api.server, caPem: api.caPem, certPem, keyPem, user: request.name, contextName: `${request.name}@outpost` });
}

async function submit(api: AdminApi, request: UserKubeconfigRequest, csrPem: string): Promise<Csr> {
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: `${request.name}-` },
    spec: {
      request: Buffer.from(csrPem, 'utf8').toString('base64'),
      signerName: SIGNER_NAME,
      usages: ['client auth'],
      ...(request.ttlSeconds === undefined ? {} : { expirationSeconds: request.ttlSeconds }),
    },
  };
  const res = await api.call('POST', CSR_PATH, body);
  if (res.status !== 201) throw new OutpostError(res.status === 403 ? 'Forbidden' : 'Invalid', `the API refused the certificate signing request (${res.status}): ${statusMessage(res.body)}`);
  return parseCsr(res.body);
}

async function approve(api: AdminApi, csr: Csr): Promise<void> {
  const name = csr.metadata.name;
  const approved = {
    ...csr,
    status: {
      ...(csr.status ?? {}),
      conditions: [
        ...(csr.status?.conditions ?? []),
        { type: 'Approved', status: 'True', reason: 'OutpostKubeconfigCreate', message: 'This CSR was approved by outpost kubeconfig create.' },
      ],
    },
  };
  const res = await api.call('PUT', `${CSR_PATH}/${encodeURIComponent(name)}/approval`, approved);
  if (res.status !== 200) throw new OutpostError(res.status === 403 ? 'Forbidden' : 'Invalid', `cannot approve certificate signing request ${name} (${res.status}): ${statusMessage(res.body)}`);
}

/** Polls the request until the signer wrote a certificate, or it was denied or failed, or time runs out. */
async function waitForCertificate(api: AdminApi, name: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.call('GET', `${CSR_PATH}/${encodeURIComponent(name)}`);
    if (res.status !== 200) throw new OutpostError('Unavailable', `cannot read certificate signing request ${name} (${res.status}): ${statusMessage(res.body)}`);
    const csr = parseCsr(res.body);
    const refused = csr.status?.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
    if (refused !== undefined) {
      const why = [refused.reason, refused.message].filter((part) => part !== undefined && part !== '').join(': ');
      throw new OutpostError('Forbidden', `certificate signing request ${name} was ${refused.type === 'Denied' ? 'denied' : 'refused by the signer'}${why === '' ? '' : ` (${why})`}`);
    }
    const certificate = csr.status?.certificate;
    if (certificate !== undefined && certificate !== '') return Buffer.from(certificate, 'base64').toString('utf8');
    if (Date.now() >= deadline) {
      throw new OutpostError('Timeout', `no certificate for certificate signing request ${name} after ${Math.round(timeoutMs / 1000)} s: is cloudcore's signer running? (kubectl get csr ${name})`);
    }
    await sleep(POLL_MS);
  }
}

function parseCsr(body: unknown): Csr {
  const parsed = csrSchema.safeParse(body);
  if (!parsed.success) throw new OutpostError('Invalid', `the API answered with something that is not a CertificateSigningRequest: ${statusMessage(body).slice(0, 200)}`);
  return parsed.data;
}
