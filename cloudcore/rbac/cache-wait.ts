import type { SharedInformer } from '../informers/index.js';

/**
 * Resolves once the informer's cache holds the named cluster-scoped object: the default policy
 * is written before the API listens, and the authorizer must see it before the first request.
 */
export function cached(informer: SharedInformer, name: string, signal: AbortSignal): Promise<void> {
  if (informer.get(undefined, name) !== undefined) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      remove();
      signal.removeEventListener('abort', aborted);
    };
    const aborted = (): void => {
      done();
      reject(new Error(`stopped before ${name} reached the ${informer.resource.resource} cache`));
    };
    const remove = informer.addHandler(() => {
      if (informer.get(undefined, name) === undefined) return;
      done();
      resolve();
    });
    signal.addEventListener('abort', aborted, { once: true });
    // Arrived between the first look and the handler.
    if (informer.get(undefined, name) !== undefined) {
      done();
      resolve();
    }
  });
}
