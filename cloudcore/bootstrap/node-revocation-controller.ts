/**
 * Deleting a Node revokes its certificates (DESIGN § Security model): the node's sessions are
 * closed through the registry's listeners and it is refused from then on. The registry also
 * learns when a joined node's Node object exists, so that a deletion that happened just before a
 * crash (the Node gone, the revocation not yet written) is caught up at the next start.
 */
import { errorMessage } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { SharedInformerFactory } from '../informers/index.js';
import type { NodeCertificateStore } from './node-certificate-registry.js';

const NODES = { group: '', resource: 'nodes', namespaced: false };

export function createNodeRevocationController(informers: SharedInformerFactory, registry: NodeCertificateStore, logger: Logger): Module {
  const nodes = informers.informerFor(NODES);
  let unsubscribe: (() => void) | undefined;
  const run = (what: string, node: string, task: Promise<void>): void => {
    task.catch((err: unknown) => logger.error({ node, reason: errorMessage(err) }, `cannot ${what}`));
  };
  return {
    name: 'node-revocation-controller',
    async start() {
      await nodes.synced;
      // From here on each change (a relist's differences included) arrives as an event...
      unsubscribe = nodes.addHandler((event) => {
        const name = event.object.metadata.name ?? '';
        if (event.type === 'DELETED') run('revoke a deleted node', name, registry.exclusive(name, () => registry.revoke(name, 'Node was deleted')));
        else run('record a registered node', name, registry.markRegistered(name));
      });
      // ...and what is there now is compared once with the registry, in the same step.
      const present = new Set([...nodes.list()].map((node) => node.metadata.name ?? ''));
      for (const name of present) run('record a registered node', name, registry.markRegistered(name));
      for (const name of registeredNodes(registry, present)) {
        run('revoke a deleted node', name, registry.exclusive(name, () => registry.revoke(name, 'Node was deleted while cloudcore was down')));
      }
    },
    async stop() {
      unsubscribe?.();
    },
  };
}

/** Nodes that registered after their last join and whose Node object is gone. */
function registeredNodes(registry: NodeCertificateStore, present: Set<string>): string[] {
  return registry.registeredNodeNames().filter((name) => !present.has(name));
}
