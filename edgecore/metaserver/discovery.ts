import { aggregatedResource, legacyResource } from '../../cloudcore/apiserver/discovery/documents.js';
import type { ServedResource } from './served-resources.js';

export { aggregatedVersionWanted, apiVersions } from '../../cloudcore/apiserver/discovery/documents.js';

/**
 * Discovery documents for just what MetaServer serves: the aggregated form kubectl 1.27+ asks
 * for, and the legacy documents (docs/kubectl.md § Discovery). Only the core group is served, so
 * `/apis` is an empty list; it must exist all the same, or every kubectl command fails.
 */
export function aggregatedDiscovery(resources: readonly ServedResource[], legacy: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = legacy
    ? [{ metadata: {}, versions: [{ version: 'v1', resources: resources.map(({ def }) => aggregatedResource(def, false)), freshness: 'Current' }] }]
    : [];
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
}

export function coreResourceList(resources: readonly ServedResource[]): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'v1',
    resources: resources.map(({ def }) => legacyResource(def)),
  };
}
