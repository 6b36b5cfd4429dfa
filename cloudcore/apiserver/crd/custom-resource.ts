import { invalid, type FieldError } from '../../../shared/k8s/field-errors.js';
import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { pruneUnknownFields } from '../handlers/prune-unknown-fields.js';
import { defineResourceInfo } from '../../../shared/apimachinery/resources/index.js';
import { defineResource } from '../kinds/common/define-resource.js';
import { validateObjectMeta } from '../kinds/common/meta-validation.js';
import { nameIsDNSSubdomain } from '../kinds/common/name-rules.js';
import type { ResourceDefinition, ScaleSpec } from '../kinds/types.js';
import type { SchemaNode } from '../schema/index.js';
import type { CrdInfo, CrdScale, CrdVersion } from './crd-types.js';
import { dottedPath, evaluateJsonPath, parseJsonPath } from './json-path.js';
import type { JSONSchemaProps } from './json-schema-props.js';
import { printerColumnsTable } from './printer-columns.js';
import { applySchemaDefaults } from './schema-defaulting.js';
import { validateSchemaValue } from './schema-validation.js';
import { structuralSchema } from './structural-schema.js';
import { stringifyJson } from '../../../shared/json/index.js';

/** A schema that keeps everything, for a version without one (only possible for hand-stored CRDs). */
const PERMISSIVE: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/**
 * The ResourceDefinition serving one version of a CRD (apiextensions' customResourceStrategy):
 * pruning and defaulting from the structural schema, ObjectMeta and schema validation, the status
 * and scale subresources, printer columns and selectable fields. Every definition has `schema`
 * set, which is how the handlers tell custom resources from built-in kinds.
 */
export function customResourceDefinition(crd: CrdInfo, version: CrdVersion): ResourceDefinition {
  const openApi = version.schema ?? PERMISSIVE;
  const structural = structuralSchema(openApi);
  const normalize = (obj: KubeObject): void => {
    pruneUnknownFields(structural, obj);
    applySchemaDefaults(openApi, obj);
  };
  const validate = (obj: KubeObject): FieldError[] => [
    ...validateObjectMeta(obj, { namespaced: crd.namespaced, nameRule: nameIsDNSSubdomain }),
    ...validateSchemaValue(openApi, obj),
    ...(version.scale === undefined ? [] : validateScale(obj, version.scale)),
  ];
  const info = defineResourceInfo({
    group: crd.group,
    version: version.name,
    resource: crd.names.plural,
    kind: crd.names.kind,
    namespaced: crd.namespaced,
    shortNames: crd.names.shortNames,
    categories: crd.names.categories,
    status: version.status,
    scale: version.scale !== undefined,
    table: printerColumnsTable(version.printerColumns),
    selectableFields: selectableFields(version.selectableFields),
  });
  const base = defineResource(info, {
    ...(version.scale === undefined ? {} : { scale: scaleSpec(version.scale) }),
    // Kubernetes sets generation on every custom resource and bumps it for any change outside
    // metadata (and status, when status is a subresource).
    tracksGeneration: true,
    applyDefaults: normalize,
    prepareForCreate: (obj) => {
      if (version.status) delete obj.status;
    },
    validateCreate: validate,
    validateUpdate: (obj) => validate(obj),
    validateStatusUpdate: (obj) => {
      // The update path defaults only main-resource writes; a status write is decoded (pruned and
      // defaulted) here, before it is validated, as the apiserver does when decoding any body.
      normalize(obj);
      return validate(obj);
    },
  });
  return {
    ...base,
    listKind: crd.names.listKind,
    singular: crd.names.singular,
    schema: (): SchemaNode => structural,
  };
}

function selectableFields(paths: readonly string[]): (obj: KubeObject) => Record<string, string> {
  const compiled = paths.map((p) => ({ key: p.replace(/^\./, ''), parsed: parseJsonPath(p) }));
  return (obj) => {
    const out: Record<string, string> = {};
    for (const { key, parsed } of compiled) {
      const value = parsed.ok ? evaluateJsonPath(parsed.steps, obj)[0] : undefined;
      out[key] = value === undefined || value === null ? '' : typeof value === 'string' ? value : stringifyJson(value);
    }
    return out;
  };
}

function readPath(obj: unknown, path: string): unknown {
  let current = obj;
  for (const name of dottedPath(path)) current = isRecord(current) ? current[name] : undefined;
  return current;
}

function scaleSpec(scale: CrdScale): ScaleSpec {
  const count = (obj: KubeObject, path: string): number => {
    const value = readPath(obj, path);
    return typeof value === 'number' && Number.isInteger(value) ? value : 0;
  };
  return {
    specReplicas: (obj) => count(obj, scale.specReplicasPath),
    statusReplicas: (obj) => count(obj, scale.statusReplicasPath),
    selector: (obj) => {
      if (scale.labelSelectorPath === undefined) return '';
      const value = readPath(obj, scale.labelSelectorPath);
      return typeof value === 'string' ? value : '';
    },
    setSpecReplicas(obj, replicas) {
      const names = dottedPath(scale.specReplicasPath);
      let parent: Record<string, unknown> = obj;
      for (const name of names.slice(0, -1)) {
        const child = parent[name];
        parent = isRecord(child) ? child : (parent[name] = {});
      }
      const last = names.at(-1);
      if (last !== undefined) parent[last] = replicas;
    },
  };
}

/** validator.go's ValidateScaleSpec/ValidateScaleStatus: replicas are non-negative int32 when set. */
function validateScale(obj: KubeObject, scale: CrdScale): FieldError[] {
  const errs: FieldError[] = [];
  for (const path of [scale.specReplicasPath, scale.statusReplicasPath]) {
    const value = readPath(obj, path);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value)) errs.push(invalid(path, value, `${path} accessor error: ${JSON.stringify(value)} is of the type ${typeof value}, expected int64`));
    else if (value < 0) errs.push(invalid(path, value, 'should be a non-negative integer'));
    else if (value > 2147483647) errs.push(invalid(path, value, 'should be less than or equal to 2147483647'));
  }
  return errs;
}
