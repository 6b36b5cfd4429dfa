import type { ResourceDefinition } from '../kinds/types.js';

/**
 * The set of served resources, looked up by group/version/resource. Discovery, routing and the
 * OpenAPI documents all read from here, so a resource added at run time (a CRD, later) is served
 * and discoverable at once.
 */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceDefinition>();
  private readonly listeners = new Set<() => void>();

  constructor(definitions: readonly ResourceDefinition[] = []) {
    for (const def of definitions) this.byPath.set(pathKey(def.group, def.version, def.resource), def);
  }

  add(def: ResourceDefinition): void {
    this.byPath.set(pathKey(def.group, def.version, def.resource), def);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byPath.delete(pathKey(group, version, resource))) this.changed();
  }

  get(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byPath.get(pathKey(group, version, resource));
  }

  /** Finds a definition by kind, for objects that name their own apiVersion and kind. */
  byKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    for (const def of this.byPath.values()) {
      if (def.group === group && def.version === version && def.kind === kind) return def;
    }
    return undefined;
  }

  all(): ResourceDefinition[] {
    return [...this.byPath.values()];
  }

  /** Group names in a stable order: core first, then as registered. */
  groups(): string[] {
    return [...new Set(this.all().map((d) => d.group))];
  }

  versionsOf(group: string): string[] {
    return [...new Set(this.all().filter((d) => d.group === group).map((d) => d.version))];
  }

  resourcesOf(group: string, version: string): ResourceDefinition[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function pathKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
