import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ResourceDefinition } from '../kinds/types.js';
import { apiVersionOf } from '../../../shared/apimachinery/resources/api-version.js';
import { builtinSchema } from '../schema/index.js';
import { recordUpdateFields } from './record-update.js';
import type { Schema } from './schema-shape.js';

/**
 * The glue between the REST write paths and field ownership: which schema a resource's fields
 * follow, and the per-write hooks the create and update paths call.
 */
export function schemaOf(def: ResourceDefinition): Schema {
  return def.schema?.() ?? builtinSchema(def.group, def.version, def.kind);
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Called by the update path with the live object and the fully prepared new one. */
export type FieldRecorder = (current: KubeObject, next: KubeObject) => void;

/**
 * Records an update by `manager` made through `subresource` ('status', 'scale', or undefined for
 * the object itself). An undefined manager (in-process writers) only drops removed fields.
 */
export function updateRecorder(def: ResourceDefinition, manager: string | undefined, subresource: 'status' | 'scale' | 'ephemeralcontainers' | undefined, now: Date): FieldRecorder {
  return (current, next) =>
    recordUpdateFields(current, next, {
      manager,
      apiVersion: apiVersionOf(def),
      scope: { subresource, statusSubresource: def.subresources.status },
      schema: schemaOf(def),
      now: rfc3339(now),
    });
}

/** Records a create by `manager`: it owns every field of the new object (defaults included). */
export function recordCreate(def: ResourceDefinition, obj: KubeObject, manager: string, now: Date): void {
  recordUpdateFields(undefined, obj, {
    manager,
    apiVersion: apiVersionOf(def),
    scope: { subresource: undefined, statusSubresource: def.subresources.status },
    schema: schemaOf(def),
    now: rfc3339(now),
  });
}
