import { invalid, notSupported, required, type FieldError } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { validateObjectMeta } from '../kinds/common/meta-validation.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../kinds/common/name-rules.js';
import { asObj, indexedObjs, str } from '../../../shared/k8s/object-access.js';
import { validateOpenApiSchema } from './crd-schema-validation.js';
import { readNames } from './crd-types.js';
import { parseJsonPath } from './json-path.js';
import { asSchemaProps } from './json-schema-props.js';

const SCOPES = ['Cluster', 'Namespaced'];
const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];

/**
 * ValidateCustomResourceDefinition (apiextensions v1): metadata, names, group, scope, versions
 * (unique, exactly one storage, each with a structural schema), subresources and printer columns.
 * Runs after defaulting, so listKind and singular are already filled in.
 */
export function validateCrd(crd: KubeObject): FieldError[] {
  const errs = validateObjectMeta(crd, { namespaced: false, nameRule: nameIsDNSSubdomain });
  const spec = asObj(crd.spec) ?? {};
  const group = str(spec.group);
  const names = readNames(spec.names);
  const name = crd.metadata.name ?? '';
  if (name !== '' && name !== `${names.plural}.${group}`) {
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (group === '') errs.push(required('spec.group'));
  else {
    for (const msg of isDNS1123Subdomain(group)) errs.push(invalid('spec.group', group, msg));
    if (!group.includes('.')) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope);
  if (scope === '') errs.push(required('spec.scope'));
  else if (!SCOPES.includes(scope)) errs.push(notSupported('spec.scope', scope, SCOPES));
  errs.push(...validateNames(spec.names, 'spec.names'));
  errs.push(...validateVersions(spec.versions));
  return errs;
}

const crdSchemaPath = (index: number): string => `spec.versions[${index}].schema.openAPIV3Schema`;

function dns1035(path: string, value: string): FieldError[] {
  const problems = isDNS1035Label(value);
  return problems.length === 0 ? [] : [invalid(path, value, problems.join(','))];
}

/** Kinds may have mixed case; lower-cased, they must be DNS-1035 labels. */
function kindName(path: string, value: string): FieldError[] {
  const problems = isDNS1035Label(value.toLowerCase());
  return problems.length === 0 ? [] : [invalid(path, value, `may have mixed case, but should otherwise match: ${problems.join(',')}`)];
}

export function validateNames(raw: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const given = asObj(raw) ?? {};
  const names = readNames(raw);
  if (names.plural === '') errs.push(required(`${path}.plural`));
  else errs.push(...dns1035(`${path}.plural`, names.plural));
  if (str(given.singular) !== '') errs.push(...dns1035(`${path}.singular`, names.singular));
  if (names.kind === '') errs.push(required(`${path}.kind`));
  else errs.push(...kindName(`${path}.kind`, names.kind));
  if (names.listKind === '') errs.push(required(`${path}.listKind`));
  else errs.push(...kindName(`${path}.listKind`, names.listKind));
  if (names.kind !== '' && names.kind === names.listKind) errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  names.shortNames.forEach((s, i) => errs.push(...dns1035(`${path}.shortNames[${i}]`, s)));
  names.categories.forEach((c, i) => errs.push(...dns1035(`${path}.categories[${i}]`, c)));
  return errs;
}

function validateVersions(raw: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const versions = indexedObjs(raw);
  if (versions.length === 0) {
    errs.push(required('spec.versions'));
    return errs;
  }
  const seen = new Set<string>();
  let storage = 0;
  let unique = true;
  for (const [i, version] of versions) {
    const path = `spec.versions[${i}]`;
    const name = str(version.name);
    if (seen.has(name)) unique = false;
    seen.add(name);
    if (version.storage === true) storage++;
    if (name === '') errs.push(required(`${path}.name`));
    else errs.push(...dns1035(`${path}.name`, name));
    const schema = asSchemaProps(asObj(version.schema)?.openAPIV3Schema);
    if (schema === undefined) errs.push(required(crdSchemaPath(i), 'schemas are required'));
    else errs.push(...validateOpenApiSchema(schema, crdSchemaPath(i)));
    errs.push(...validateSubresources(version.subresources, `${path}.subresources`));
    errs.push(...validateColumns(version.additionalPrinterColumns, `${path}.additionalPrinterColumns`));
  }
  const names = versions.map(([, v]) => str(v.name));
  if (!unique) errs.push(invalid('spec.versions', names, 'must contain unique version names'));
  if (storage !== 1) errs.push(invalid('spec.versions', names, 'must have exactly one version marked as storage version'));
  return errs;
}

/** A simple dotted path under one of `roots` (`.spec.replicas`), as the scale subresource needs. */
function isPathUnder(path: string, roots: string[]): boolean {
  return /^(\.[A-Za-z0-9_-]+)+$/.test(path) && roots.some((root) => path.startsWith(`${root}.`));
}

function validateSubresources(raw: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const scale = asObj(asObj(raw)?.scale);
  if (scale === undefined) return errs;
  const spec = str(scale.specReplicasPath);
  const status = str(scale.statusReplicasPath);
  if (spec === '') errs.push(required(`${path}.scale.specReplicasPath`));
  else if (!isPathUnder(spec, ['.spec'])) errs.push(invalid(`${path}.scale.specReplicasPath`, spec, 'should be a json path under .spec'));
  if (status === '') errs.push(required(`${path}.scale.statusReplicasPath`));
  else if (!isPathUnder(status, ['.status'])) errs.push(invalid(`${path}.scale.statusReplicasPath`, status, 'should be a json path under .status'));
  const selector = scale.labelSelectorPath;
  if (typeof selector === 'string' && selector !== '' && !isPathUnder(selector, ['.spec', '.status'])) {
    errs.push(invalid(`${path}.scale.labelSelectorPath`, selector, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

function validateColumns(raw: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, column] of indexedObjs(raw)) {
    const at = `${path}[${i}]`;
    if (str(column.name) === '') errs.push(required(`${at}.name`));
    const type = str(column.type);
    if (type === '') errs.push(required(`${at}.type`));
    else if (!COLUMN_TYPES.includes(type)) errs.push(notSupported(`${at}.type`, type, COLUMN_TYPES));
    const format = str(column.format);
    if (format !== '' && !COLUMN_FORMATS.includes(format)) errs.push(notSupported(`${at}.format`, format, COLUMN_FORMATS));
    if (typeof column.priority === 'number' && column.priority < 0) errs.push(invalid(`${at}.priority`, column.priority, 'must be greater than or equal to 0'));
    const jsonPath = str(column.jsonPath);
    if (jsonPath === '') errs.push(required(`${at}.jsonPath`));
    else {
      const parsed = parseJsonPath(jsonPath);
      if (!parsed.ok) errs.push(invalid(`${at}.jsonPath`, jsonPath, parsed.message));
    }
  }
  return errs;
}
