import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { builtinSchema, openApiV3Document, openApiV3Root } from '../schema/index.js';

/**
 * The OpenAPI v3 documents kubectl reads before create/apply to learn that the server does field
 * validation. Built from the registry and cached until the registry changes (a CRD is added).
 */
export class OpenApiDocuments {
  private cache = new Map<string, { text: string; hash: string }>();

  constructor(private readonly registry: ResourceRegistry) {
    registry.onChange(() => this.cache.clear());
  }

  /** Group versions as apiVersion strings ("v1", "apps/v1"), the form openApiV3Root takes. */
  private groupVersions(): string[] {
    const out: string[] = [];
    for (const group of this.registry.groups()) {
      for (const version of this.registry.versionsOf(group)) out.push(group === '' ? version : `${group}/${version}`);
    }
    return out;
  }

  /** The document for "api/v1" or "apis/apps/v1", or undefined. */
  document(gvPath: string): { text: string; hash: string } | undefined {
    const cached = this.cache.get(gvPath);
    if (cached) return cached;
    const parts = gvPath.split('/');
    const [group, version] = parts[0] === 'api' ? ['', parts[1] ?? ''] : [parts[1] ?? '', parts[2] ?? ''];
    const defs = this.registry.resourcesOf(group, version);
    if (defs.length === 0) return undefined;
    const doc = openApiV3Document(
      defs.map((d) => ({ group: d.group, version: d.version, kind: d.kind, namespaced: d.namespaced, resource: d.resource })),
      (g, v, k) => this.registry.byKind(g, v, k)?.schema?.() ?? builtinSchema(g, v, k),
    );
    const text = JSON.stringify(doc);
    const entry = { text, hash: createHash('sha256').update(text).digest('hex').slice(0, 32).toUpperCase() };
    this.cache.set(gvPath, entry);
    return entry;
  }

  root(): unknown {
    return openApiV3Root(this.groupVersions(), (gv) => this.document(gv.includes('/') ? `apis/${gv}` : `api/${gv}`)?.hash ?? '');
  }
}
