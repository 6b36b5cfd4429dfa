import type { KubeObject } from '../../k8s/types.js';

/**
 * What every API server that serves a resource needs to know about it, whether it writes it or
 * only caches it: its names for discovery and routing, its table columns for `kubectl get`, and
 * the fields it can be selected by. The write strategy (defaulting, validation, ...) is not here:
 * only the cloud's API server has one (cloudcore/apiserver/kinds).
 */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 = always shown; 1 = shown only with `-o wide`. */
  priority: number;
}

export type TableCell = string | number | boolean | null;

export interface TableSpec {
  columns: TableColumn[];
  /** One row of cells, in column order. Ages are pre-formatted ("5m") from `now`. */
  cells(obj: KubeObject, now: Date): TableCell[];
}

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, lower case: 'pods'. */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Which subresources are served (scale's read/write logic is the cloud strategy's). */
  subresources: {
    status: boolean;
    scale: boolean;
  };
  table: TableSpec;
  /**
   * Field values usable in fieldSelector, besides metadata.name and metadata.namespace, e.g.
   * pods: spec.nodeName, status.phase. A missing value is ''.
   */
  selectableFields(obj: KubeObject): Record<string, string>;
}
