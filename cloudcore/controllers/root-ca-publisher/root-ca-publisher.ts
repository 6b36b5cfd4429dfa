import type { KubeObject } from '../../../shared/k8s/types.js';
import { equalJson } from '../../../shared/json/index.js';
import type { Module } from '../../../shared/lifecycle.js';
import { createIfAbsent, updateObject } from '../../apiserver/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { isActiveNamespace } from '../namespace-active.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_KEY = 'ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/** Kubernetes' own words on the ConfigMap (pkg/controller/certificates/rootcacertpublisher). */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export function rootCaConfigMap(namespace: string, caPem: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
    data: { [ROOT_CA_KEY]: caPem },
  };
}

/** Kubernetes' test: the data is exactly the CA, and the description is there (any text). */
function isCurrent(configMap: KubeObject, caPem: string): boolean {
  const annotation = configMap.metadata.annotations?.[DESCRIPTION_ANNOTATION];
  return equalJson(configMap.data ?? null, { [ROOT_CA_KEY]: caPem }) && typeof annotation === 'string' && annotation !== '';
}

/**
 * Kubernetes' root-ca-cert-publisher, keyed by namespace: every active namespace has a ConfigMap
 * `kube-root-ca.crt` whose `ca.crt` is the cluster CA, which service-account token volumes mount
 * so pods can verify the API (docs/service-accounts.md § kube-root-ca.crt). Deleted, it is made
 * again; edited, its data and description are put back.
 */
export function createRootCaPublisher(deps: ControllerDeps, caPem: string): Module {
  const { api: ctx, logger } = deps;
  const configMapsDef = servedDefinition(ctx, '', 'configmaps');
  const namespaces = deps.informers.informerFor(servedDefinition(ctx, '', 'namespaces'));
  const configMaps = deps.informers.informerFor(configMapsDef);
  const queue = createWorkQueue<string>({ name: 'root-ca-publisher', logger });

  async function reconcile(namespace: string): Promise<ReconcileOutcome> {
    if (!isActiveNamespace(namespaces.get(undefined, namespace))) return;
    const existing = configMaps.get(namespace, ROOT_CA_CONFIGMAP);
    if (existing === undefined) {
      await createIfAbsent(ctx, configMapsDef, rootCaConfigMap(namespace, caPem));
      return;
    }
    if (isCurrent(existing, caPem)) return;
    await updateObject(ctx, configMapsDef, {
      namespace,
      name: ROOT_CA_CONFIGMAP,
      subresource: undefined,
      dryRun: false,
      mutate: (current) => ({
        ...current,
        metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data: { [ROOT_CA_KEY]: caPem },
      }),
    });
    logger.info({ namespace }, 'put the cluster CA back into kube-root-ca.crt');
  }

  return queueControllerModule({
    name: 'root-ca-publisher',
    queue,
    logger,
    informers: [namespaces, configMaps],
    subscribe: () => [
      namespaces.addHandler((e) => queue.add(e.object.metadata.name ?? '')),
      configMaps.addHandler((e) => {
        if (e.object.metadata.name === ROOT_CA_CONFIGMAP && e.type !== 'ADDED') queue.add(e.object.metadata.namespace ?? '');
      }),
    ],
    onSynced: () => {
      for (const namespace of namespaces.list()) queue.add(namespace.metadata.name ?? '');
    },
    reconcile,
  });
}
