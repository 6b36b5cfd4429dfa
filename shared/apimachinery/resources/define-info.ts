import type { KubeObject } from '../../k8s/types.js';
import type { ResourceInfo, TableSpec } from './types.js';

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What a kind states about itself; everything else takes the common default. */
export interface ResourceInfoSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: boolean;
  table: TableSpec;
  selectableFields?: (obj: KubeObject) => Record<string, string>;
}

/** Builds a ResourceInfo: listKind is `<Kind>List` and singular the lower-cased kind, as for built-in kinds. */
export function defineResourceInfo(spec: ResourceInfoSpec): ResourceInfo {
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? STANDARD_VERBS,
    subresources: { status: spec.status ?? false, scale: spec.scale ?? false },
    table: spec.table,
    selectableFields: spec.selectableFields ?? (() => ({})),
  };
}
