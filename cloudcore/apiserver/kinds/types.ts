import type { FieldError } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { SchemaNode } from '../schema/types.js';

/**
 * What the generic REST machinery needs to know about one resource: its names for discovery,
 * and its strategy (defaulting, validation, status/spec split, table columns, field selectors),
 * in the manner of the per-kind `strategy.go` files of the Kubernetes API server.
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

/** How the `scale` subresource reads and writes the object. */
export interface ScaleSpec {
  specReplicas(obj: KubeObject): number;
  statusReplicas(obj: KubeObject): number;
  /** The label selector string for Scale.status.selector, e.g. "app=web". */
  selector(obj: KubeObject): string;
  setSpecReplicas(obj: KubeObject, replicas: number): void;
}

export interface ResourceDefinition {
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
  subresources: {
    status: boolean;
    scale?: ScaleSpec;
  };
  /** metadata.generation is set to 1 on create and bumped when anything outside metadata/status changes. */
  tracksGeneration: boolean;

  /** Fills defaults in place, as Kubernetes' defaulters do (protocol TCP, restartPolicy, ...). Idempotent. */
  applyDefaults(obj: KubeObject): void;
  /** Resets fields a create may not set (e.g. status for kinds with a status subresource). */
  prepareForCreate(obj: KubeObject): void;
  /** Validates a new object. Field paths are full: `spec.containers[0].image`. */
  validateCreate(obj: KubeObject): FieldError[];
  /** Validates an update of the main resource (e.g. pod-spec update limits). */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Validates an update through the status subresource. */
  validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[];

  table: TableSpec;
  /** The structural schema, when not a built-in one (custom resources). */
  schema?: () => SchemaNode | undefined;
  /**
   * Field values usable in fieldSelector, besides metadata.name and metadata.namespace, e.g.
   * pods: spec.nodeName, status.phase. A missing value is ''.
   */
  selectableFields(obj: KubeObject): Record<string, string>;
}
