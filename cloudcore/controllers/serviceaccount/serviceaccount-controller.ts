import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { createIfAbsent } from '../../apiserver/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { isActiveNamespace } from '../namespace-active.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';

/** The service account every namespace has, which pods run as unless they name another. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The `default` ServiceAccount of a namespace, as kube-controller-manager's controller creates it. */
export function defaultServiceAccount(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
}

/**
 * Kubernetes' serviceaccounts controller, keyed by namespace: every active namespace has a
 * `default` ServiceAccount, made when the namespace appears and again when it is deleted
 * (docs/service-accounts.md § Default service accounts). It never changes one that exists.
 */
export function createServiceAccountController(deps: ControllerDeps): Module {
  const { api: ctx, logger } = deps;
  const serviceAccountsDef = servedDefinition(ctx, '', 'serviceaccounts');
  const namespaces = deps.informers.informerFor(servedDefinition(ctx, '', 'namespaces'));
  const serviceAccounts = deps.informers.informerFor(serviceAccountsDef);
  const queue = createWorkQueue<string>({ name: 'serviceaccount', logger });

  async function reconcile(namespace: string): Promise<ReconcileOutcome> {
    if (!isActiveNamespace(namespaces.get(undefined, namespace))) return;
    if (serviceAccounts.get(namespace, DEFAULT_SERVICE_ACCOUNT) !== undefined) return;
    const outcome = await createIfAbsent(ctx, serviceAccountsDef, defaultServiceAccount(namespace));
    if (outcome.created) logger.debug({ namespace }, 'created the default service account');
  }

  return queueControllerModule({
    name: 'serviceaccount-controller',
    queue,
    logger,
    informers: [namespaces, serviceAccounts],
    subscribe: () => [
      namespaces.addHandler((e) => queue.add(e.object.metadata.name ?? '')),
      serviceAccounts.addHandler((e) => {
        if (e.type === 'DELETED' && e.object.metadata.name === DEFAULT_SERVICE_ACCOUNT) queue.add(e.object.metadata.namespace ?? '');
      }),
    ],
    onSynced: () => {
      for (const namespace of namespaces.list()) queue.add(namespace.metadata.name ?? '');
    },
    reconcile,
  });
}
