import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { deleteObject, type ApiContext } from '../apiserver/index.js';
import type { Module } from '../../shared/lifecycle.js';
import type { SharedInformerFactory } from '../informers/index.js';
import { isNotFound } from '../../shared/apimachinery/errors/index.js';

const NAMESPACES = { group: '', resource: 'namespaces', namespaced: false };
const RETRY_MS = 1000;

/**
 * Finalizes deleted namespaces, as Kubernetes' namespace controller does: it deletes everything in
 * the namespace (pods bound to live nodes wait for their node), and once the namespace is empty
 * removes the namespace object itself.
 */
export function createNamespaceController(ctx: ApiContext, informers: SharedInformerFactory, logger: Logger): Module {
  const abort = new AbortController();
  const pending = new Map<string, NodeJS.Timeout>();
  const namespaces = informers.informerFor(NAMESPACES);
  let unsubscribe: (() => void) | undefined;

  const schedule = (name: string, delayMs: number): void => {
    if (pending.has(name) || abort.signal.aborted) return;
    pending.set(name, setTimeout(() => {
      pending.delete(name);
      finalize(name).catch((err: unknown) => {
        logger.warn({ err, namespace: name }, 'namespace cleanup failed; retrying');
        schedule(name, RETRY_MS);
      });
    }, delayMs));
  };

  const finalize = async (name: string): Promise<void> => {
    const ns = await ctx.objects.get(NAMESPACES, undefined, name);
    if (ns === undefined || ns.metadata.deletionTimestamp === undefined) return;
    let remaining = 0;
    for (const def of ctx.registry.all()) {
      // A version served from another's storage holds no objects of its own (docs/kinds.md § One storage, several versions).
      if (!def.namespaced || def.storedAs !== undefined) continue;
      const listed = await ctx.objects.list(def, name);
      if (!listed.ok) throw new Error(listed.message);
      for (const obj of listed.value.items) {
        remaining++;
        if (obj.metadata.deletionTimestamp !== undefined) continue;
        await deleteObject(ctx, def, name, obj.metadata.name ?? '', {
          gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined,
          propagationPolicy: 'Background', dryRun: false,
        }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
    }
    if (remaining > 0) {
      schedule(name, RETRY_MS);
      return;
    }
    const res = await ctx.objects.delete(NAMESPACES, undefined, name);
    if (res.ok) logger.info({ namespace: name }, 'namespace deleted');
  };

  const consider = (ns: KubeObject): void => {
    if (ns.metadata.deletionTimestamp !== undefined && ns.metadata.name !== undefined) schedule(ns.metadata.name, 0);
  };

  return {
    name: 'namespace-controller',
    async start() {
      // A relist's differences reach the handler as ordinary events; what the informer held
      // before this controller subscribed is looked at once here.
      unsubscribe = namespaces.addHandler((event) => {
        if (event.type !== 'DELETED') consider(event.object);
      });
      for (const ns of namespaces.list()) consider(ns);
    },
    async stop() {
      unsubscribe?.();
      abort.abort();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
