import { issueCertificate, type CertificateAuthority } from '../../../certs/index.js';
import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import { OutpostError } from '../../../shared/errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { updateObject, type ApiContext } from '../../apiserver/index.js';
import { csrConditions, FAILED, withConditionDefaults } from '../../apiserver/kinds/certificates/csr-fields.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { SharedInformerFactory } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { decideSigning } from './signing-decision.js';

export interface CsrSignerOptions {
  api: ApiContext;
  informers: SharedInformerFactory;
  logger: Logger;
  /** The cluster CA: what the API's client-certificate authentication trusts. */
  ca: CertificateAuthority;
  /** The longest certificate it issues (Kubernetes' --cluster-signing-duration, default 1 year). */
  maxLifetimeSeconds: number;
}

const GROUP = 'certificates.k8s.io';
const RESOURCE = 'certificatesigningrequests';
const DAY_SECONDS = 24 * 60 * 60;

function csrDefinition(ctx: ApiContext): ResourceDefinition {
  const def = ctx.registry.get(GROUP, 'v1', RESOURCE);
  if (def === undefined) throw new OutpostError('Internal', `${GROUP}/v1 ${RESOURCE} are not served`);
  return def;
}

/**
 * The signer of `kubernetes.io/kube-apiserver-client` requests (docs/users.md § Signer), in the
 * queue-controller shape (docs/architecture.md § Controllers): an approved request gets a client
 * certificate signed by the cluster CA in status.certificate, or a Failed condition when this
 * signer may not sign it. Other signer names are left alone.
 */
export function createCsrSignerController(options: CsrSignerOptions): Module {
  const { api: ctx, logger } = options;
  const def = csrDefinition(ctx);
  const requests = options.informers.informerFor(def);
  const queue = createWorkQueue<string>({ name: 'csr-signer', logger });

  /** A status write at the reconciled request's uid; a concurrent approval is retried by updateObject. */
  async function writeStatus(csr: KubeObject, change: (status: Record<string, unknown>, current: KubeObject) => void): Promise<void> {
    await updateObject(ctx, def, {
      namespace: undefined,
      name: csr.metadata.name ?? '',
      subresource: 'status',
      dryRun: false,
      mutate: (current) => {
        const status = { ...((current.status as Record<string, unknown> | undefined) ?? {}) };
        change(status, current);
        return { ...current, metadata: { ...current.metadata, uid: csr.metadata.uid, resourceVersion: '' }, status };
      },
    });
  }

  async function fail(csr: KubeObject, message: string): Promise<void> {
    const now = `${ctx.now().toISOString().slice(0, 19)}Z`;
    await writeStatus(csr, (status, current) => {
      const failed = { type: FAILED, status: 'True', reason: 'SignerValidationFailure', message };
      status.conditions = [...csrConditions(current), ...withConditionDefaults([failed], csrConditions(current), now)];
    });
    logger.info({ csr: csr.metadata.name, reason: message }, 'certificate signing request failed');
  }

  async function reconcile(name: string): Promise<ReconcileOutcome> {
    const csr = requests.get(undefined, name);
    if (csr === undefined) return;
    const decision = decideSigning(csr, options.maxLifetimeSeconds);
    if (decision.action === 'skip') return;
    if (decision.action === 'fail') return fail(csr, decision.message);
    const issued = await issueCertificate({
      ca: options.ca,
      subject: { commonName: decision.commonName, organizations: decision.request.organizations },
      usages: 'client',
      lifetimeDays: decision.lifetimeSeconds / DAY_SECONDS,
      publicKey: decision.request.publicKey,
      now: ctx.now,
    });
    if (!issued.ok) return fail(csr, issued.message);
    await writeStatus(csr, (status) => {
      status.certificate = Buffer.from(issued.value.certPem, 'utf8').toString('base64');
    });
    logger.info({ csr: name, user: decision.commonName, groups: decision.request.organizations, notAfter: issued.value.notAfter }, 'client certificate issued');
  }

  return queueControllerModule({
    name: 'csr-signer',
    queue,
    logger,
    informers: [requests],
    subscribe: () => [requests.addHandler((e) => {
      if (e.type !== 'DELETED') queue.add(e.object.metadata.name ?? '');
    })],
    onSynced: () => {
      for (const csr of requests.list()) queue.add(csr.metadata.name ?? '');
    },
    reconcile,
  });
}
