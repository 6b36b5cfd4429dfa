import type { ResourceInfo } from '../resources/types.js';

/** The served resources, as discovery reads them (the cloud's ResourceRegistry is one). */
export interface DiscoverySource {
  /** Group names in a stable order: core first. */
  groups(): string[];
  versionsOf(group: string): string[];
  resourcesOf(group: string, version: string): ResourceInfo[];
}

/** A DiscoverySource over a fixed list, in the list's order. */
export function staticDiscoverySource(resources: readonly ResourceInfo[]): DiscoverySource {
  return {
    groups: () => [...new Set(resources.map((r) => r.group))],
    versionsOf: (group) => [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))],
    resourcesOf: (group, version) => resources.filter((r) => r.group === group && r.version === version),
  };
}

/** Whether documents list subresources; a read-only cache (MetaServer) serves none. */
export interface DocumentOptions {
  withSubresources?: boolean;
}

/**
 * Discovery documents, both the aggregated form (apidiscovery.k8s.io v2 and v2beta1, which kubectl
 * 1.27+ asks for) and the legacy per-group-version documents (docs/kubectl.md § Discovery).
 */
const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

function scopeOf(def: ResourceInfo): 'Namespaced' | 'Cluster' {
  return def.namespaced ? 'Namespaced' : 'Cluster';
}

/** What each subresource answers: logs are read, bindings created, the rest read and written. */
function subresourceVerbs(name: string): string[] {
  if (name === 'log') return ['get'];
  if (name === 'binding' || name === 'token') return ['create'];
  return SUBRESOURCE_VERBS;
}

function subresourcesOf(def: ResourceInfo): { name: string; kind: string; group: string; version: string }[] {
  const out = [];
  if (def.subresources.status) out.push({ name: 'status', kind: def.kind, group: def.group, version: def.version });
  if (def.subresources.scale) out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1' });
  if (def.group === '' && def.resource === 'pods') {
    out.push({ name: 'log', kind: 'Pod', group: '', version: 'v1' });
    out.push({ name: 'binding', kind: 'Binding', group: '', version: 'v1' });
  }
  if (def.group === '' && def.resource === 'serviceaccounts') out.push({ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1' });
  return out;
}

/** One resource in an aggregated discovery document; a read-only cache leaves out subresources. */
export function aggregatedResource(def: ResourceInfo, withSubresources = true): Record<string, unknown> {
  const subresources = withSubresources ? subresourcesOf(def) : [];
  return {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: scopeOf(def),
    singularResource: def.singular,
    verbs: def.verbs,
    ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
    ...(def.categories.length > 0 ? { categories: def.categories } : {}),
    ...(subresources.length > 0
      ? {
          subresources: subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: subresourceVerbs(s.name),
          })),
        }
      : {}),
  };
}

export function aggregatedDiscovery(registry: DiscoverySource, legacy: boolean, version: 'v2' | 'v2beta1', options: DocumentOptions = {}): Record<string, unknown> {
  const groups = registry.groups().filter((g) => (legacy ? g === '' : g !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: group === '' ? {} : { name: group },
      versions: registry.versionsOf(group).map((v) => ({
        version: v,
        resources: registry.resourcesOf(group, v).map((def) => aggregatedResource(def, options.withSubresources ?? true)),
        freshness: 'Current',
      })),
    })),
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(registry: DiscoverySource, group: string): Record<string, unknown> {
  const versions = registry.versionsOf(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: DiscoverySource): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().filter((g) => g !== '').map((g) => groupDocument(registry, g)),
  };
}

export function apiGroup(registry: DiscoverySource, group: string): Record<string, unknown> | undefined {
  if (group === '' || registry.versionsOf(group).length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(registry, group) };
}

/** One resource in a legacy APIResourceList. */
export function legacyResource(def: ResourceInfo): Record<string, unknown> {
  return {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.verbs,
    ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
    ...(def.categories.length > 0 ? { categories: def.categories } : {}),
  };
}

/** Which aggregated discovery version an Accept header asks for (kubectl 1.27–1.29 ask v2beta1 only). */
export function aggregatedVersionWanted(accept: string): 'v2' | 'v2beta1' | undefined {
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    const params = part.split(';').map((p) => p.trim());
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

export function apiResourceList(registry: DiscoverySource, group: string, version: string, options: DocumentOptions = {}): Record<string, unknown> | undefined {
  const defs = registry.resourcesOf(group, version);
  if (defs.length === 0) return undefined;
  const resources = defs.flatMap((def) => [
    legacyResource(def),
    ...(options.withSubresources ?? true ? subresourcesOf(def) : []).map((s) => ({
      name: `${def.resource}/${s.name}`,
      singularName: '',
      namespaced: def.namespaced,
      ...(s.group === def.group ? {} : { group: s.group, version: s.version }),
      kind: s.kind,
      verbs: subresourceVerbs(s.name),
    })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}

/** `/version`: minor 32, which is what kubectl's dispatcher uses to pick kubectl.1.32. */
export function versionInfo(buildVersion: string): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: `v1.32.0+outpost-${buildVersion}`,
    gitCommit: 'outpost',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
