import type { ResourceDefinition } from '../kinds/types.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { ServingDecision } from './crd-status.js';
import { compareVersions, type CrdInfo } from './crd-types.js';
import { customResourceDefinition } from './custom-resource.js';

/**
 * Keeps the ResourceRegistry in step with the CRDs: each served version of an accepted CRD is a
 * ResourceDefinition there, so routing, discovery and OpenAPI see it at once. A terminating CRD
 * stays served (its objects can still be read, updated and deleted) but refuses creates.
 */
export class CrdServing {
  /** CRD name → the versions it has in the registry. */
  private readonly served = new Map<string, { group: string; resource: string; versions: string[] }>();

  constructor(private readonly registry: ResourceRegistry) {}

  /** Decides whether the CRD's names can be served: no other resource of its group has its plural or kind. */
  decide(info: CrdInfo): ServingDecision {
    if (info.deleting) return { state: 'terminating' };
    const mine = this.served.get(info.name);
    for (const def of this.registry.all()) {
      if (def.group !== info.group) continue;
      if (mine !== undefined && def.resource === mine.resource) continue;
      if (def.resource === info.names.plural) return { state: 'conflict', reason: 'PluralConflict', message: `"${info.names.plural}" is already in use` };
      if (def.kind === info.names.kind) return { state: 'conflict', reason: 'KindConflict', message: `"${info.names.kind}" is already in use` };
    }
    return { state: 'served', names: info.names };
  }

  /** Registers the served versions (preferred version first) in one synchronous step. */
  serve(info: CrdInfo, options: { terminating: boolean }): void {
    const defs: ResourceDefinition[] = info.versions
      .filter((v) => v.served)
      .sort((a, b) => compareVersions(a.name, b.name))
      .map((v) => {
        const def = customResourceDefinition(info, v);
        return options.terminating ? { ...def, verbs: def.verbs.filter((verb) => verb !== 'create') } : def;
      });
    // Removing then adding in one tick: no request sees the resource missing in between, and the
    // registry's insertion order puts the preferred version first for discovery.
    this.unserve(info.name);
    for (const def of defs) this.registry.add(def);
    this.served.set(info.name, { group: info.group, resource: info.names.plural, versions: defs.map((d) => d.version) });
  }

  unserve(name: string): void {
    const entry = this.served.get(name);
    if (entry === undefined) return;
    this.served.delete(name);
    for (const version of entry.versions) this.registry.remove(entry.group, version, entry.resource);
  }

  isServed(name: string): boolean {
    return this.served.has(name);
  }

  /** The definition of the CRD's storage version (or any served one), for reading its objects. */
  storageDefinition(info: CrdInfo): ResourceDefinition | undefined {
    const storage = info.versions.find((v) => v.storage)?.name;
    const entry = this.served.get(info.name);
    const version = storage !== undefined && entry?.versions.includes(storage) ? storage : entry?.versions[0];
    if (version !== undefined) return this.registry.get(info.group, version, info.names.plural);
    const any = info.versions[0];
    return any === undefined ? undefined : customResourceDefinition(info, any);
  }
}
