import { builtinResourceInfos, type ResourceInfo } from '../../shared/apimachinery/resources/index.js';
import { deviceResourceInfos } from './device-resources.js';

/**
 * What MetaServer serves: the kinds an edge holds, read-only. The resource information (names,
 * table columns, selectable fields) is the one the cloud API serves too
 * (shared/apimachinery/resources), so `kubectl get` prints the same columns against either. A
 * kind is served from the edge store generically: as soon as the channel delivers objects of
 * that kind they are listed here, with no code per kind.
 */
export const READ_VERBS = ['get', 'list', 'watch'];

/** Resources of the core group MetaServer serves (KubeEdge's MetaServer serves the same set). */
const SERVED = new Set(['pods', 'configmaps', 'secrets', 'services', 'nodes']);

/** Kinds whose objects are served only to callers holding a credential. */
const CREDENTIAL_ONLY = new Set(['secrets']);

export interface ServedResource {
  def: ResourceInfo;
  /** Readable only with a credential (the token file or a service-account token). */
  needsCredential: boolean;
}

export interface ServedResources {
  all(): ServedResource[];
  find(group: string, version: string, resource: string): ServedResource | undefined;
}

export function servedResources(): ServedResources {
  // Devices and DeviceModels too (docs/protocol.md R39): device programs on the edge read them here.
  const list = [...builtinResourceInfos().filter((def) => def.group === '' && SERVED.has(def.resource)), ...deviceResourceInfos()]
    .map((def) => ({ def: { ...def, verbs: READ_VERBS, subresources: { status: false, scale: false } }, needsCredential: CREDENTIAL_ONLY.has(def.resource) }));
  return {
    all: () => list,
    find: (group, version, resource) => list.find((r) => r.def.group === group && r.def.version === version && r.def.resource === resource),
  };
}
