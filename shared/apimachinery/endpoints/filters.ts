import type { KubeObject } from '../../k8s/types.js';
import {
  fieldSelectorRequirements,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../k8s/selectors/index.js';
import { errors } from '../errors/status.js';
import { apiVersionOf } from '../resources/api-version.js';
import type { ResourceInfo } from '../resources/types.js';

/** A compiled labelSelector + fieldSelector from the query string. */
export interface ObjectFilter {
  matches(obj: KubeObject): boolean;
  /** True when there is nothing to filter on, so hot paths can skip decoding. */
  empty: boolean;
}

/** The selectors of a list or watch request (endpoints/list-options.ts parses them from the query). */
export interface SelectorOptions {
  labelSelector: string;
  fieldSelector: string;
}

export function compileFilter(def: ResourceInfo, selectors: SelectorOptions, extraName?: string): ObjectFilter {
  const labelText = selectors.labelSelector;
  const fieldText = selectors.fieldSelector;
  const labels = parseLabelSelector(labelText);
  if (!labels.ok) throw errors.badRequest(labels.message);
  const fields = parseFieldSelector(fieldText);
  if (!fields.ok) throw errors.badRequest(fields.message);
  for (const requirement of fieldSelectorRequirements(fields.value)) {
    if (requirement.field === 'metadata.name' || (requirement.field === 'metadata.namespace' && def.namespaced)) continue;
    if (!(requirement.field in def.selectableFields(sampleObject(def)))) {
      throw errors.badRequest(`field label not supported: ${requirement.field}`);
    }
  }
  const empty = labelText.trim() === '' && fieldText.trim() === '' && extraName === undefined;
  return {
    empty,
    matches(obj) {
      if (extraName !== undefined && obj.metadata.name !== extraName) return false;
      if (!matchesLabels(labels.value, obj.metadata.labels)) return false;
      if (fieldText.trim() === '') return true;
      return matchesFields(fields.value, objectFields(def, obj));
    },
  };
}

export function objectFields(def: ResourceInfo, obj: KubeObject): Record<string, string> {
  return {
    ...def.selectableFields(obj),
    'metadata.name': obj.metadata.name ?? '',
    ...(def.namespaced ? { 'metadata.namespace': obj.metadata.namespace ?? '' } : {}),
  };
}

/** An empty object of the kind: selectableFields of it lists the field names the kind supports. */
function sampleObject(def: ResourceInfo): KubeObject {
  return { apiVersion: apiVersionOf(def), kind: def.kind, metadata: {} };
}
