import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ApiContext } from '../handlers/context.js';
import { deleteObject } from '../handlers/delete-object.js';
import { updateObject } from '../handlers/update-object.js';
import type { ResourceDefinition } from '../kinds/types.js';
import type { SharedInformerFactory } from '../../informers/index.js';
import { ensureCrds } from './ensure-crds.js';
import { CrdServing } from './crd-serving.js';
import { desiredCrdStatus, statusDiffers } from './crd-status.js';
import { CLEANUP_FINALIZER, CRD_GROUP, CRD_RESOURCE, readCrd, type CrdInfo } from './crd-types.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';

const RETRY_MS = 1000;

/** Each mutate works on the latest object, so a write that lost a race is simply retried by updateObject. */
function unconditional(obj: KubeObject): KubeObject {
  delete obj.metadata.resourceVersion;
  return obj;
}

export interface CrdControllerOptions {
  /** CRDs installed at first start and brought back to this spec at every start (KubeEdge's devices). */
  builtinCrds?: readonly KubeObject[];
}

/**
 * Serves custom resources (apiextensions' naming, establishing and finalizer controllers in one):
 * - at start, before the API listens, it installs the built-in CRDs and serves every stored CRD;
 * - it then follows CRDs through the process's shared informer: a new or changed CRD is served at
 *   once, and its status says so (NamesAccepted, Established, acceptedNames);
 * - a deleted CRD (held by its cleanup finalizer) stops taking creates, its objects are deleted,
 *   then the finalizer goes, and with the CRD the kind leaves the registry.
 */
export function createCrdController(ctx: ApiContext, informers: SharedInformerFactory, logger: Logger, options: CrdControllerOptions = {}): Module {
  const abort = new AbortController();
  const serving = new CrdServing(ctx.registry);
  const retries = new Map<string, NodeJS.Timeout>();
  const crds = informers.informerFor({ group: CRD_GROUP, resource: CRD_RESOURCE, namespaced: false });
  let unsubscribe: (() => void) | undefined;
  let queue = Promise.resolve();

  const crdDef = (): ResourceDefinition => {
    const def = ctx.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE);
    if (def === undefined) throw new Error('customresourcedefinitions are not registered');
    return def;
  };

  /** Runs reconciles one at a time, in the order asked: each reads the CRD afresh from the store. */
  const enqueue = (name: string): void => {
    queue = queue
      .then(() => reconcile(name))
      .catch((err: unknown) => {
        logger.warn({ err, crd: name }, 'reconciling CRD failed; retrying');
        retryLater(name);
      });
  };

  const retryLater = (name: string): void => {
    if (abort.signal.aborted || retries.has(name)) return;
    retries.set(name, setTimeout(() => {
      retries.delete(name);
      enqueue(name);
    }, RETRY_MS));
  };

  const reconcile = async (name: string): Promise<void> => {
    if (abort.signal.aborted) return;
    const crd = await ctx.objects.get(crdDef(), undefined, name);
    if (crd === undefined) {
      serving.unserve(name);
      return;
    }
    const info = readCrd(crd);
    const decision = serving.decide(info);
    if (decision.state === 'served') serving.serve(info, { terminating: false });
    else if (decision.state === 'terminating') serving.serve(info, { terminating: true });
    else serving.unserve(name);
    if (decision.state === 'conflict') logger.warn({ crd: name, reason: decision.message }, 'CRD names not accepted');
    await writeStatus(crd, desiredCrdStatus(crd, info, decision, ctx.now()));
    if (decision.state === 'terminating') await finalize(info);
    else if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) await addFinalizer(name);
  };

  const writeStatus = async (crd: KubeObject, status: Record<string, unknown>): Promise<void> => {
    if (!statusDiffers(crd, status)) return;
    await updateObject(ctx, crdDef(), {
      namespace: undefined, name: crd.metadata.name ?? '', subresource: 'status', dryRun: false,
      mutate: (current) => unconditional({ ...current, status }),
    });
  };

  const addFinalizer = async (name: string): Promise<void> => {
    await updateObject(ctx, crdDef(), {
      namespace: undefined, name, subresource: undefined, dryRun: false,
      mutate: (current) => {
        const finalizers = current.metadata.finalizers ?? [];
        if (!finalizers.includes(CLEANUP_FINALIZER) && current.metadata.deletionTimestamp === undefined) {
          current.metadata.finalizers = [...finalizers, CLEANUP_FINALIZER];
        }
        return unconditional(current);
      },
    });
  };

  /** Deletes the CRD's objects; once none is left, lets the CRD go by removing the finalizer. */
  const finalize = async (info: CrdInfo): Promise<void> => {
    const def = serving.storageDefinition(info);
    if (def !== undefined) {
      const listed = await ctx.objects.list(def, undefined);
      if (!listed.ok) throw new Error(listed.message);
      for (const obj of listed.value.items) {
        if (obj.metadata.deletionTimestamp !== undefined) continue;
        await deleteObject(ctx, def, obj.metadata.namespace, obj.metadata.name ?? '', {
          gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined,
          propagationPolicy: 'Background', dryRun: false,
        }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
      const remaining = await ctx.objects.list(def, undefined, { limit: 1 });
      if (!remaining.ok) throw new Error(remaining.message);
      if (remaining.value.items.length > 0) {
        // Objects held by their own finalizers: wait for them, as Kubernetes' CRD finalizer does.
        retryLater(info.name);
        return;
      }
    }
    await updateObject(ctx, crdDef(), {
      namespace: undefined, name: info.name, subresource: undefined, dryRun: false,
      mutate: (current) => {
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
        return unconditional(current);
      },
    });
    logger.info({ crd: info.name }, 'custom resources deleted; CRD released');
  };

  return {
    name: 'crd-controller',
    async start() {
      await ensureCrds(ctx, crdDef(), options.builtinCrds ?? [], logger);
      await crds.synced;
      // Every change from here on is reconciled (each reconcile reads the CRD afresh), and every
      // CRD the informer holds now once, in the same step so that nothing falls between.
      unsubscribe = crds.addHandler((event) => enqueue(event.object.metadata.name ?? ''));
      // The built-in CRDs ensureCrds just wrote may not have reached the informer yet.
      const names = new Set([...crds.list(), ...(options.builtinCrds ?? [])].map((crd) => crd.metadata.name ?? ''));
      for (const name of names) enqueue(name);
      // Served before start() resolves, so the API never answers 404 for a stored CRD's kind.
      // Serving happens before any write in reconcile, so a failed status write only delays the
      // status: the queue logs it and retries.
      await queue;
    },
    async stop() {
      unsubscribe?.();
      abort.abort();
      for (const timer of retries.values()) clearTimeout(timer);
      retries.clear();
      await queue;
    },
  };
}
