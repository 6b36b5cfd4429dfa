import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createObject, deleteObject, updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { serviceSelector, servicesSelecting } from '../endpoint-pods/index.js';
import { desiredEndpointGroups } from './desired-endpoints.js';
import { MANAGED_BY, MANAGED_BY_LABEL, planSlices, SERVICE_NAME_LABEL } from './slice-plan.js';

export interface EndpointSliceControllerOptions {
  workers?: number;
}

const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

/** The Service a slice of this controller belongs to, as its labels say. */
function owningServiceKey(slice: KubeObject): string | undefined {
  const labels = slice.metadata.labels ?? {};
  const service = labels[SERVICE_NAME_LABEL];
  return labels[MANAGED_BY_LABEL] === MANAGED_BY && service !== undefined ? `${slice.metadata.namespace ?? ''}/${service}` : undefined;
}

/**
 * Kubernetes' EndpointSlice controller (docs/services.md § EndpointSlices): for every Service with a
 * selector, slices of at most 100 endpoints from the selected pods, labelled with the Service's
 * name and this controller as manager, owned by the Service (so the garbage collector removes them
 * with it). Slices managed by others, and Services without a selector, are left alone.
 */
export function createEndpointSliceController(deps: ControllerDeps, options: EndpointSliceControllerOptions = {}): Module {
  const { api: ctx, informers, logger } = deps;
  const servicesDef = servedDefinition(ctx, '', 'services');
  const podsDef = servedDefinition(ctx, '', 'pods');
  const slicesDef = servedDefinition(ctx, 'discovery.k8s.io', 'endpointslices');
  const services = informers.informerFor(servicesDef);
  const pods = informers.informerFor(podsDef);
  const slices = informers.informerFor(slicesDef);
  const queue = createWorkQueue<string>({ name: 'endpointslice', logger, workers: options.workers ?? 2 });

  const onPod = (event: InformerEvent): void => {
    const affected = servicesSelecting(services.list(), event.object);
    if (event.previous !== undefined) affected.push(...servicesSelecting(services.list(), event.previous));
    for (const service of affected) queue.add(keyOf(service));
  };
  const onService = (event: InformerEvent): void => queue.add(keyOf(event.object));
  const onSlice = (event: InformerEvent): void => {
    for (const slice of [event.object, event.previous]) {
      const key = slice === undefined ? undefined : owningServiceKey(slice);
      if (key !== undefined) queue.add(key);
    }
  };

  const slicesOf = (namespace: string, name: string): KubeObject[] =>
    [...slices.list()].filter((slice) => slice.metadata.namespace === namespace && owningServiceKey(slice) === `${namespace}/${name}`);

  const remove = async (slice: KubeObject): Promise<void> => {
    try {
      await deleteObject(ctx, slicesDef, slice.metadata.namespace, slice.metadata.name ?? '', {
        gracePeriodSeconds: undefined, preconditionUid: slice.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const sync = async (key: string): Promise<void> => {
    const [namespace = '', name = ''] = key.split('/');
    const service = services.get(namespace, name);
    // A Service that is gone takes its slices with it through their owner reference.
    if (service === undefined || service.metadata.deletionTimestamp !== undefined) return;
    const selector = serviceSelector(service);
    if (selector === undefined) return;
    const plan = planSlices(service, desiredEndpointGroups(service, selector, pods.list()), slicesOf(namespace, name));
    for (const slice of plan.create) await createObject(ctx, slicesDef, slice, { dryRun: false });
    for (const slice of plan.update) {
      await updateObject(ctx, slicesDef, { namespace, name: slice.metadata.name ?? '', subresource: undefined, dryRun: false, mutate: () => slice });
    }
    for (const slice of plan.remove) await remove(slice);
  };

  return queueControllerModule({
    name: 'endpointslice-controller',
    queue,
    logger,
    informers: [services, pods, slices],
    subscribe: () => [pods.addHandler(onPod), services.addHandler(onService), slices.addHandler(onSlice)],
    onSynced: () => {
      for (const service of services.list()) queue.add(keyOf(service));
    },
    reconcile: sync,
  });
}
