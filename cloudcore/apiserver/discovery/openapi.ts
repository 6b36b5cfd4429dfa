import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { builtinSchema, createDescriptionLookup, openApiV3Document, openApiV3Root, type DescriptionLookup } from '../schema/index.js';
import { openApiV2Json, openApiV2Protobuf } from './openapi-v2.js';
import { stringifyJson } from '../../../shared/json/index.js';

/** The media type kubectl 1.27/1.28 ask `/openapi/v2` for. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What kube-openapi answers it with: Go's mime parser rejects the '@' of the requested type. */
export const OPENAPI_V2_PROTOBUF_RESPONSE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** The Kubernetes version the documents describe, as /version reports it. */
const SPEC_VERSION = 'v1.32.0';

/**
 * The OpenAPI documents kubectl reads before create/apply to learn that the server does field
 * validation: v3 (kubectl 1.29+) and v2 (1.27, 1.28). Built from the registry and cached until the
 * registry changes (a CRD is added).
 */
export class OpenApiDocuments {
  private cache = new Map<string, { text: string; hash: string }>();
  private v2Cache: { json: string; protobuf: Buffer } | undefined;
  /** Built-in types' descriptions for kubectl explain, read on first use (schema/builtin-descriptions.ts). */
  private readonly describe: DescriptionLookup = createDescriptionLookup();

  constructor(private readonly registry: ResourceRegistry) {
    registry.onChange(() => {
      this.cache.clear();
      this.v2Cache = undefined;
    });
  }

  /** The swagger 2.0 document, as JSON or as gnostic protobuf (see openapi-v2.ts). */
  v2(): { json: string; protobuf: Buffer } {
    this.v2Cache ??= {
      json: stringifyJson(openApiV2Json(this.registry.all(), SPEC_VERSION)),
      protobuf: openApiV2Protobuf(this.registry.all(), SPEC_VERSION),
    };
    return this.v2Cache;
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
      this.describe,
    );
    const text = stringifyJson(doc);
    const entry = { text, hash: createHash('sha256').update(text).digest('hex').slice(0, 32).toUpperCase() };
    this.cache.set(gvPath, entry);
    return entry;
  }

  root(): unknown {
    return openApiV3Root(this.groupVersions(), (gv) => this.document(gv.includes('/') ? `apis/${gv}` : `api/${gv}`)?.hash ?? '');
  }
}
