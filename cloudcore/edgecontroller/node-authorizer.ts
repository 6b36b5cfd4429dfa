import { NODE_GROUP, NODE_USER_PREFIX, RBAC_RESOURCES, type RbacResource } from '../../shared/protocol/index.js';
import type { AuthorizationAttributes, Authorizer } from '../apiserver/auth/authorize.js';
import { DEVICES_GROUP } from '../apiserver/crd/index.js';
import type { NodeObjectIndex } from './node-object-index.js';

const READ_VERBS = new Set(['get']);
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const REFERENCED = new Set(['configmaps', 'secrets', 'serviceaccounts']);

/**
 * The API's Node authorizer, after Kubernetes' (plugin/pkg/auth/authorizer/node): a node's
 * certificate may `get` its own Node, the pods bound to it, and the configmaps, secrets and
 * service accounts those pods reference, the Devices attached to it with their DeviceModels and
 * credentials Secrets (protocol.md R39), the RBAC objects it holds for its pods' service accounts
 * (R41) — the same per-node index that decides what CloudHub
 * sends it. Everything else falls through to `next`. A node whose Node object is gone (deleted,
 * and so its certificate revoked) gets nothing.
 */
export function createNodeAuthorizer(index: NodeObjectIndex, nodeExists: (name: string) => boolean, next: Authorizer): Authorizer {
  return (attributes) => {
    const nodeName = nodeNameOf(attributes);
    if (nodeName === undefined) return next(attributes);
    const decision = decide(index, nodeName, attributes, nodeExists);
    return decision ?? next(attributes);
  };
}

function nodeNameOf(attributes: AuthorizationAttributes): string | undefined {
  const { name, groups } = attributes.user;
  if (!groups.includes(NODE_GROUP) || !name.startsWith(NODE_USER_PREFIX)) return undefined;
  return name.slice(NODE_USER_PREFIX.length);
}

function decide(index: NodeObjectIndex, nodeName: string, a: AuthorizationAttributes, nodeExists: (name: string) => boolean): { allowed: true } | undefined {
  if (!a.isResource || !READ_VERBS.has(a.verb) || a.name === undefined || a.subresource !== undefined) return undefined;
  if (a.group === DEVICES_GROUP) return decideDevices(index, nodeName, a, nodeExists);
  if (a.group === RBAC_GROUP) return a.resource in RBAC_RESOURCES && nodeExists(nodeName) && index.holdsRbac(nodeName, a.resource as RbacResource, a.namespace ?? '', a.name) ? { allowed: true } : undefined;
  if (a.group !== '') return undefined;
  if (!nodeExists(nodeName)) return undefined;
  if (a.resource === 'nodes') return a.name === nodeName ? { allowed: true } : undefined;
  if (a.namespace === undefined) return undefined;
  if (a.resource === 'pods') return index.lookupPod(a.namespace, a.name)?.nodeName === nodeName ? { allowed: true } : undefined;
  if (REFERENCED.has(a.resource) && index.references(nodeName, a.resource as 'configmaps' | 'secrets' | 'serviceaccounts', a.namespace, a.name)) return { allowed: true };
  return undefined;
}

function decideDevices(index: NodeObjectIndex, nodeName: string, a: AuthorizationAttributes, nodeExists: (name: string) => boolean): { allowed: true } | undefined {
  if (a.namespace === undefined || a.name === undefined || !nodeExists(nodeName)) return undefined;
  if (a.resource === 'devices') return index.lookupDevice(a.namespace, a.name)?.nodeName === nodeName ? { allowed: true } : undefined;
  if (a.resource === 'devicemodels' && index.references(nodeName, 'devicemodels', a.namespace, a.name)) return { allowed: true };
  return undefined;
}
