import type { Server as HttpsServer } from 'node:https';
import { networkInterfaces } from 'node:os';
import type { Logger } from '../../shared/logging.js';

/** How often the address is looked for until the bridge carries it. */
const DEFAULT_POLL_MS = 1000;

export interface PodNetworkListenerOptions {
  /** An HTTPS server that never listened yet; this module makes it listen. */
  server: HttpsServer;
  address: string;
  port: number;
  logger: Logger;
  pollMs?: number;
  /** Whether a local interface holds the address (injectable for unit tests). */
  present?: (address: string) => boolean;
}

export interface PodNetworkListener {
  /** True once bound to address:port. */
  bound(): boolean;
  stop(): Promise<void>;
}

export function addressIsLocal(address: string): boolean {
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((info) => info.family === 'IPv4' && info.address === address));
}

/**
 * MetaServer on the pod bridge's gateway address (docs/edge-metaserver.md § Access). The bridge
 * and its address are made by the CNI bridge plugin with the first sandbox, so the address may not
 * exist yet: it is looked for every `pollMs` and bound as soon as it is there, on that address
 * only (never 0.0.0.0). After an edgecore restart the bridge is still up, so it binds at once.
 * A listening socket keeps its address even if the bridge is later re-created.
 */
export function startPodNetworkListener(options: PodNetworkListenerOptions): PodNetworkListener {
  const present = options.present ?? addressIsLocal;
  let bound = false;
  let stopped = false;
  let binding = false;
  let timer: NodeJS.Timeout | undefined;

  const tryBind = (): void => {
    if (stopped || bound || binding || !present(options.address)) return;
    binding = true;
    const onError = (err: NodeJS.ErrnoException): void => {
      binding = false;
      options.logger.warn({ address: options.address, port: options.port, err: err.message }, 'MetaServer cannot listen on the pod network yet; trying again');
    };
    options.server.once('error', onError);
    options.server.listen(options.port, options.address, () => {
      options.server.off('error', onError);
      binding = false;
      if (stopped) {
        options.server.close();
        return;
      }
      bound = true;
      clearInterval(timer);
      options.logger.info({ address: options.address, port: options.port }, 'MetaServer listens on the pod network');
    });
  };

  timer = setInterval(tryBind, options.pollMs ?? DEFAULT_POLL_MS);
  timer.unref();
  tryBind();

  return {
    bound: () => bound,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (!bound) return;
      await new Promise<void>((resolve) => {
        options.server.close(() => resolve());
        options.server.closeAllConnections();
      });
    },
  };
}
