import type { ServedResource } from './served-resources.js';

/**
 * Discovery documents for just what MetaServer serves: the aggregated form kubectl 1.27+ asks
 * for, and the legacy documents (notes/kubectl.md § Discovery). Only the core group is served, so
 * `/apis` is an empty list; it must exist all the same, or every kubectl command fails.
 */
export function aggregatedDiscovery(resources: readonly ServedResource[], legacy: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = legacy
    ? [{ metadata: {}, versions: [{ version: 'v1', resources: resources.map(({ def }) => ({
        resource: def.resource,
        responseKind: { group: def.group, version: def.version, kind: def.kind },
        scope: def.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: def.singular,
        verbs: def.verbs,
        ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
        ...(def.categories.length > 0 ? { categories: def.categories } : {}),
      })), freshness: 'Current' }] }]
    : [];
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
}

export function coreResourceList(resources: readonly ServedResource[]): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'v1',
    resources: resources.map(({ def }) => ({
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs,
      ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
      ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    })),
  };
}

/** Which aggregated discovery version the Accept header asks for, if any. */
export function aggregatedVersionWanted(accept: string): 'v2' | 'v2beta1' | undefined {
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    const params = part.split(';').map((p) => p.trim());
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}
