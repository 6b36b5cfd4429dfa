import type { KubeObject } from '../../../shared/k8s/types.js';
import { arrayOf, asObj, objArray, str } from '../../../shared/k8s/object-access.js';
import { asSchemaProps, type JSONSchemaProps } from './json-schema-props.js';
import type { PrinterColumn } from './printer-columns.js';

/**
 * A CustomResourceDefinition read into the shape the serving side needs. Stored CRDs passed the
 * CRD's validation, but this reader still trusts no field (an old or hand-edited object may lack
 * one), so every accessor falls back to an empty value.
 */
export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_RESOURCE = 'customresourcedefinitions';
/** Holds a CRD until its custom resources are deleted (apiextensions' CustomResourceCleanupFinalizer). */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdNames {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
}

export interface CrdScale {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string | undefined;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: JSONSchemaProps | undefined;
  status: boolean;
  scale: CrdScale | undefined;
  printerColumns: PrinterColumn[];
  /** jsonPaths of `selectableFields`, e.g. ".spec.nodeName". */
  selectableFields: string[];
}

export interface CrdInfo {
  name: string;
  group: string;
  namespaced: boolean;
  names: CrdNames;
  versions: CrdVersion[];
  deleting: boolean;
}

const strings = (value: unknown): string[] => arrayOf(value).filter((v): v is string => typeof v === 'string');

export function readNames(value: unknown): CrdNames {
  const names = asObj(value) ?? {};
  const kind = str(names.kind);
  return {
    plural: str(names.plural),
    singular: str(names.singular) || kind.toLowerCase(),
    kind,
    listKind: str(names.listKind) || (kind === '' ? '' : `${kind}List`),
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
  };
}

function readVersion(value: Record<string, unknown>): CrdVersion {
  const subresources = asObj(value.subresources) ?? {};
  const scale = asObj(subresources.scale);
  const labelSelectorPath = scale === undefined ? '' : str(scale.labelSelectorPath);
  return {
    name: str(value.name),
    served: value.served === true,
    storage: value.storage === true,
    schema: asSchemaProps(asObj(value.schema)?.openAPIV3Schema),
    status: asObj(subresources.status) !== undefined,
    scale: scale === undefined
      ? undefined
      : { specReplicasPath: str(scale.specReplicasPath), statusReplicasPath: str(scale.statusReplicasPath), labelSelectorPath: labelSelectorPath || undefined },
    printerColumns: objArray(value.additionalPrinterColumns).map((c) => ({
      name: str(c.name),
      type: str(c.type),
      ...(typeof c.format === 'string' && c.format !== '' ? { format: c.format } : {}),
      ...(typeof c.description === 'string' ? { description: c.description } : {}),
      priority: typeof c.priority === 'number' ? c.priority : 0,
      jsonPath: str(c.jsonPath),
    })),
    selectableFields: objArray(value.selectableFields).map((f) => str(f.jsonPath)).filter((p) => p !== ''),
  };
}

export function readCrd(obj: KubeObject): CrdInfo {
  const spec = asObj(obj.spec) ?? {};
  return {
    name: obj.metadata.name ?? '',
    group: str(spec.group),
    namespaced: str(spec.scope) !== 'Cluster',
    names: readNames(spec.names),
    versions: objArray(spec.versions).map(readVersion),
    deleting: obj.metadata.deletionTimestamp !== undefined,
  };
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return [3, 0, 0, v];
    const level = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [level, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) {
    const d = (ra[i] as number) - (rb[i] as number);
    if (d !== 0) return d;
  }
  return ra[3].localeCompare(rb[3]);
}
