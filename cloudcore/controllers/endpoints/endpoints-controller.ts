import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { equalJson } from '../../../shared/json/index.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createObject, deleteObject, updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { endpointLabels, serviceSelector, servicesSelecting } from '../endpoint-pods/index.js';
import { desiredSubsets } from './desired-subsets.js';
import { OVER_CAPACITY_ANNOTATION, truncateSubsets } from './truncate-subsets.js';

export interface EndpointsControllerOptions {
  workers?: number;
}

const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

/**
 * Kubernetes' endpoints controller (docs/services.md § Endpoints): for every Service with a
 * selector, an Endpoints object of the same name listing the selected pods' addresses. A Service
 * without a selector is left alone (its Endpoints are the user's, or the API's own for
 * `kubernetes`); a Service's Endpoints go when it goes. Informer handlers only queue Service keys.
 */
export function createEndpointsController(deps: ControllerDeps, options: EndpointsControllerOptions = {}): Module {
  const { api: ctx, informers, logger } = deps;
  const servicesDef = servedDefinition(ctx, '', 'services');
  const podsDef = servedDefinition(ctx, '', 'pods');
  const endpointsDef = servedDefinition(ctx, '', 'endpoints');
  const services = informers.informerFor(servicesDef);
  const pods = informers.informerFor(podsDef);
  const endpoints = informers.informerFor(endpointsDef);
  const queue = createWorkQueue<string>({ name: 'endpoints', logger, workers: options.workers ?? 2 });

  const onPod = (event: InformerEvent): void => {
    const affected = servicesSelecting(services.list(), event.object);
    if (event.previous !== undefined) affected.push(...servicesSelecting(services.list(), event.previous));
    for (const service of affected) queue.add(keyOf(service));
  };
  const onService = (event: InformerEvent): void => queue.add(keyOf(event.object));
  // Only a deletion: Endpoints without a Service of their name may be the user's own.
  const onEndpoints = (event: InformerEvent): void => {
    if (event.type === 'DELETED' && services.get(event.object.metadata.namespace, event.object.metadata.name ?? '') !== undefined) queue.add(keyOf(event.object));
  };

  const removeEndpoints = async (namespace: string, name: string): Promise<void> => {
    if (endpoints.get(namespace, name) === undefined) return;
    try {
      await deleteObject(ctx, endpointsDef, namespace, name, { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  const sync = async (key: string): Promise<void> => {
    const [namespace = '', name = ''] = key.split('/');
    const service = services.get(namespace, name);
    if (service === undefined) return removeEndpoints(namespace, name);
    const selector = serviceSelector(service);
    if (selector === undefined || service.metadata.deletionTimestamp !== undefined) return;
    const all = desiredSubsets(service, selector, pods.list());
    const truncated = truncateSubsets(all);
    const subsets = truncated ?? all;
    const labels = endpointLabels(service);
    const current = endpoints.get(namespace, name);
    const annotations = { ...(current?.metadata.annotations ?? {}) };
    if (truncated === undefined) delete annotations[OVER_CAPACITY_ANNOTATION];
    else annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    const annotated = Object.keys(annotations).length > 0 ? { annotations } : {};
    if (current === undefined) {
      const body: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels, ...annotated }, ...(subsets.length > 0 ? { subsets } : {}) };
      await createObject(ctx, endpointsDef, body, { dryRun: false });
      return;
    }
    const same = equalJson(current.subsets ?? [], subsets) && equalJson(current.metadata.labels ?? {}, labels) && equalJson(current.metadata.annotations ?? {}, annotations);
    if (same) return;
    await updateObject(ctx, endpointsDef, {
      namespace,
      name,
      subresource: undefined,
      dryRun: false,
      mutate: (latest) => {
        const next: KubeObject = { ...latest, metadata: { ...latest.metadata, labels, ...annotated, resourceVersion: current.metadata.resourceVersion } };
        if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
        if (subsets.length > 0) next.subsets = subsets;
        else delete next.subsets;
        return next;
      },
    });
  };

  return queueControllerModule({
    name: 'endpoints-controller',
    queue,
    logger,
    informers: [services, pods, endpoints],
    subscribe: () => [pods.addHandler(onPod), services.addHandler(onService), endpoints.addHandler(onEndpoints)],
    onSynced: () => {
      for (const service of services.list()) queue.add(keyOf(service));
    },
    reconcile: sync,
  });
}
