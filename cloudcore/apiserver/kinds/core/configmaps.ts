import { configMapsInfo } from '../../../../shared/apimachinery/resources/builtin/configmaps.js';
import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { tooLongDetail, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from './config-data.js';

function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs = validateObjectMeta(cm, { namespaced: true, nameRule: nameIsDNSSubdomain });
  const data = asObj(cm.data) ?? {};
  const binaryData = asObj(cm.binaryData) ?? {};
  errs.push(...validateDataKeys(data, 'data'));
  for (const key of Object.keys(data)) {
    if (Object.hasOwn(binaryData, key)) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  errs.push(...validateDataKeys(binaryData, 'binaryData'));
  let size = 0;
  for (const value of Object.values(data)) size += typeof value === 'string' ? Buffer.byteLength(value) : 0;
  // binaryData travels base64-encoded; its size is that of the decoded bytes.
  for (const value of Object.values(binaryData)) size += typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
  if (size > MAX_DATA_SIZE) errs.push({ type: 'FieldValueTooLong', field: '', detail: tooLongDetail(MAX_DATA_SIZE) });
  return errs;
}

/** core/v1 configmaps. */
export function configMapsResource(): ResourceDefinition {
  return defineResource(configMapsInfo(), {
    validateCreate: validateConfigMap,
    validateUpdate: (cm, old) => [...validateConfigMap(cm), ...validateImmutableData(cm, old, ['data', 'binaryData'])],
  });
}
