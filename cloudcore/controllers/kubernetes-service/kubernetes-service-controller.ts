import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { equalJson } from '../../../shared/json/index.js';
import { asObj } from '../../../shared/k8s/object-access.js';
import { createObject, updateObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent, SharedInformer } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { kubernetesEndpointSlice, kubernetesEndpoints, kubernetesService, NAME, NAMESPACE, type ApiEndpoint } from './kubernetes-objects.js';

export interface KubernetesServiceOptions {
  /** The API's advertised address and port, known once the API listens; undefined when there is no address to advertise. */
  apiEndpoint: () => ApiEndpoint | undefined;
}

const KEY = `${NAMESPACE}/${NAME}`;

/** The parts of each object this controller owns, to tell whether a write is needed. */
const servicePorts = (obj: KubeObject): unknown => asObj(obj.spec)?.ports;
const endpointsBody = (obj: KubeObject): unknown => [obj.subsets, obj.metadata.labels];
const sliceBody = (obj: KubeObject): unknown => [obj.endpoints, obj.ports, obj.metadata.labels];

/**
 * kube-apiserver's bootstrap controller and endpoint reconciler (docs/services.md § The kubernetes
 * Service): `default/kubernetes` with the service range's first address, and its Endpoints and
 * EndpointSlice naming this API's address and port. Written at start (a restarted cloudcore may
 * listen elsewhere), and written again whenever one of them is deleted. With several cloudcores
 * the last one started is the one advertised.
 */
export function createKubernetesServiceController(deps: ControllerDeps, options: KubernetesServiceOptions): Module {
  const { api: ctx, informers, logger } = deps;
  const servicesDef = servedDefinition(ctx, '', 'services');
  const endpointsDef = servedDefinition(ctx, '', 'endpoints');
  const slicesDef = servedDefinition(ctx, 'discovery.k8s.io', 'endpointslices');
  const services = informers.informerFor(servicesDef);
  const endpoints = informers.informerFor(endpointsDef);
  const slices = informers.informerFor(slicesDef);
  const queue = createWorkQueue<string>({ name: 'kubernetes-service', logger });
  /** Which objects this process has written since it started: after that, only a deleted one is written again. */
  const claimed = new Set<string>();
  let warnedNoAddress = false;

  const onEvent = (event: InformerEvent): void => {
    const meta = event.object.metadata;
    if (event.type === 'DELETED' && meta.namespace === NAMESPACE && meta.name === NAME) queue.add(KEY);
  };

  /** Creates the object when missing; on this process's first pass, brings `part` of an existing one to what is desired. */
  const ensure = async (def: ResourceDefinition, informer: SharedInformer, desired: KubeObject, part: (obj: KubeObject) => unknown, apply: (current: KubeObject) => KubeObject): Promise<void> => {
    const current = informer.get(NAMESPACE, NAME);
    if (current === undefined) await createObject(ctx, def, desired, { dryRun: false });
    else if (!claimed.has(def.resource) && !equalJson(part(current), part(desired))) {
      await updateObject(ctx, def, { namespace: NAMESPACE, name: NAME, subresource: undefined, dryRun: false, mutate: (latest) => ({ ...apply(latest), metadata: { ...latest.metadata, labels: desired.metadata.labels ?? {} } }) });
    }
    claimed.add(def.resource);
  };

  const sync = async (): Promise<void> => {
    const api = options.apiEndpoint();
    if (api === undefined) {
      if (!warnedNoAddress) logger.warn('no address to advertise for the kubernetes Service (only loopback interfaces); its Endpoints are not written');
      warnedNoAddress = true;
      return;
    }
    const service = kubernetesService(ctx.serviceIps?.firstAddress(), api);
    await ensure(servicesDef, services, service, servicePorts, (latest) => ({ ...latest, spec: { ...(asObj(latest.spec) ?? {}), ports: servicePorts(service) } }));
    const eps = kubernetesEndpoints(api);
    await ensure(endpointsDef, endpoints, eps, endpointsBody, (latest) => ({ ...latest, subsets: eps.subsets }));
    const slice = kubernetesEndpointSlice(api);
    await ensure(slicesDef, slices, slice, sliceBody, (latest) => ({ ...latest, endpoints: slice.endpoints, ports: slice.ports }));
  };

  return queueControllerModule({
    name: 'kubernetes-service-controller',
    queue,
    logger,
    informers: [services, endpoints, slices],
    subscribe: () => [services.addHandler(onEvent), endpoints.addHandler(onEvent), slices.addHandler(onEvent)],
    onSynced: () => queue.add(KEY),
    reconcile: sync,
  });
}
