import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { ObjectEvent, ObjectStore, ResourceKey } from '../apiserver/index.js';

export interface WatchLoopHandlers {
  /** The full current state, after the initial list and after every relist, at that revision. */
  onSync(items: KubeObject[], revision: number): void;
  onEvent(event: ObjectEvent): void;
}

/**
 * An in-process informer over the object store: list, then watch from the list's revision, and
 * relist when the watch cannot continue (its revision was compacted), in the manner of client-go.
 */
export function runWatchLoop(objects: ObjectStore, def: ResourceKey, signal: AbortSignal, handlers: WatchLoopHandlers, logger: Logger): void {
  const start = async (): Promise<void> => {
    while (!signal.aborted) {
      const listed = await objects.list(def, undefined);
      if (!listed.ok) {
        logger.warn({ resource: def.resource, reason: listed.message }, 'list failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      handlers.onSync(listed.value.items, listed.value.revision);
      const watching = objects.watch(def, undefined, listed.value.revision, signal, (events) => {
        for (const event of events) handlers.onEvent(event);
      });
      if (watching.ok) return;
      logger.info({ resource: def.resource, reason: watching.message }, 'watch could not start; relisting');
    }
  };
  start().catch((err: unknown) => logger.error({ err, resource: def.resource }, 'watch loop failed'));
}
