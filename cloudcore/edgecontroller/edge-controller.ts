import type { UpstreamContent } from '../../shared/protocol/index.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { ApiContext, ResourceKey } from '../apiserver/index.js';
import type { SharedInformerFactory } from '../informers/index.js';
import type { ServiceAccountTokenIssuer } from '../serviceaccounts/types.js';
import { NodeObjectIndex } from './node-object-index.js';
import { EventRateLimiter } from './event-writer.js';
import { writeUpstream, type UpstreamOutcome } from './upstream-writer.js';
import { recordUndeliverable, type Undeliverable } from './undeliverable-event.js';

const KINDS = {
  pods: { group: '', resource: 'pods', namespaced: true },
  nodes: { group: '', resource: 'nodes', namespaced: false },
  configmaps: { group: '', resource: 'configmaps', namespaced: true },
  secrets: { group: '', resource: 'secrets', namespaced: true },
  serviceaccounts: { group: '', resource: 'serviceaccounts', namespaced: true },
  // CRD kinds (built in: cloudcore/apiserver/crd/builtin/kubeedge-devices.ts); an informer lists
  // their keys whether or not the CRD is served yet (protocol.md R39).
  devices: { group: 'devices.kubeedge.io', resource: 'devices', namespaced: true },
  devicemodels: { group: 'devices.kubeedge.io', resource: 'devicemodels', namespaced: true },
  // What a node's service accounts are granted (protocol.md R41). Informers read the store, so
  // they list (empty) whether or not the API serves these kinds yet.
  roles: { group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  clusterroles: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  rolebindings: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  clusterrolebindings: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespaced: false },
} satisfies Record<string, ResourceKey>;

export interface EdgeController extends Module {
  /** What each node needs, for CloudHub's sessions and the node authorizer. */
  readonly index: NodeObjectIndex;
  /** Writes one upstream message from a node into the API, after the node authorizer (R7). */
  writeUpstream(nodeName: string, content: UpstreamContent): Promise<UpstreamOutcome>;
  /** Records an Event on an object too large to send to a node (protocol.md R37); never throws. */
  reportUndeliverable(what: Undeliverable): Promise<void>;
}

/**
 * The per-node index over the process's shared informers of every kind an edge needs. Built
 * before the informers start (it must see their first lists), and handed as a value to
 * EdgeController and to the API's node authorizer.
 */
export function createNodeObjectIndex(informers: SharedInformerFactory, issuer?: ServiceAccountTokenIssuer): NodeObjectIndex {
  return new NodeObjectIndex({
    pods: informers.informerFor(KINDS.pods),
    nodes: informers.informerFor(KINDS.nodes),
    configmaps: informers.informerFor(KINDS.configmaps),
    secrets: informers.informerFor(KINDS.secrets),
    serviceaccounts: informers.informerFor(KINDS.serviceaccounts),
    devices: informers.informerFor(KINDS.devices),
    devicemodels: informers.informerFor(KINDS.devicemodels),
    rbac: {
      roles: informers.informerFor(KINDS.roles),
      clusterroles: informers.informerFor(KINDS.clusterroles),
      rolebindings: informers.informerFor(KINDS.rolebindings),
      clusterrolebindings: informers.informerFor(KINDS.clusterrolebindings),
    },
  }, issuer);
}

/**
 * EdgeController (docs/architecture.md § Folders): the per-node index built from the shared
 * informers, and the upstream writes into the API. CloudHub is only the transport between this
 * and the nodes. The informers are started by their factory (main.ts), not here.
 */
/** How often tokens are checked for rotation (each is re-issued after 80% of its lifetime, protocol.md R40). */
const TOKEN_ROTATION_CHECK_MS = 10_000;

/** `hubId`: this cloudcore's hub id, recorded on the Leases of the nodes whose sessions it holds (protocol.md R48). */
export function createEdgeController(api: ApiContext, index: NodeObjectIndex, logger: Logger, hubId?: string): EdgeController {
  const events = new EventRateLimiter();
  let rotation: NodeJS.Timeout | undefined;
  return {
    name: 'edgecontroller',
    index,
    writeUpstream: (nodeName, content) => writeUpstream(api, index, nodeName, content, events, hubId),
    async reportUndeliverable(what) {
      try {
        await recordUndeliverable(api, what);
      } catch (err) {
        // The Event is a courtesy: the skip itself is already logged and counted by CloudHub.
        logger.warn({ err: err instanceof Error ? err.message : String(err), node: what.nodeName, uid: what.about.uid }, 'could not record the undeliverable-object event');
      }
    },
    async start() {
      // protocol.md R9: a session never answers an inventory from an empty cache.
      await index.synced;
      logger.info({ pods: index.podCount, devices: index.deviceCount }, 'edge controller synced');
      rotation ??= setInterval(() => index.rotateTokens(), TOKEN_ROTATION_CHECK_MS);
      rotation.unref();
    },
    async stop() {
      if (rotation !== undefined) clearInterval(rotation);
      rotation = undefined;
    },
  };
}
