import { secretsInfo } from '../../../../shared/apimachinery/resources/builtin/secrets.js';
import { invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { tooLongDetail, validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, str } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from './config-data.js';

/** Keys each well-known secret type must carry (ValidateSecret). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/**
 * Defaults (type Opaque) and the v1 conversion of `stringData`: its entries are written into
 * `data`, base64-encoded, overriding keys of the same name, and the field is dropped.
 */
export function defaultSecret(secret: KubeObject): void {
  if (str(secret.type) === '') secret.type = 'Opaque';
  const stringData = asObj(secret.stringData);
  if (stringData !== undefined) {
    const data = asObj(secret.data) ?? {};
    for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(str(value), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

/** The offset of the first byte Go's base64.StdEncoding would reject, or -1 when the text decodes. */
export function base64ErrorOffset(text: string): number {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = text.indexOf('=');
  if (pad >= 0 && (!/^=*$/.test(text.slice(pad)) || text.length % 4 !== 0 || text.length - pad > 2)) return pad;
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  return -1;
}

function validateSecret(secret: KubeObject): FieldError[] {
  const errs = validateObjectMeta(secret, { namespaced: true, nameRule: nameIsDNSSubdomain });
  const data = asObj(secret.data) ?? {};
  errs.push(...validateDataKeys(data, 'data'));
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    const text = str(value);
    const offset = base64ErrorOffset(text);
    if (offset >= 0) errs.push(invalid(`data[${key}]`, '<secret contents redacted>', `illegal base64 data at input byte ${offset}`));
    else size += Buffer.from(text, 'base64').length;
  }
  if (size > MAX_DATA_SIZE) errs.push({ type: 'FieldValueTooLong', field: 'data', detail: tooLongDetail(MAX_DATA_SIZE) });
  const type = str(secret.type);
  if (type === 'kubernetes.io/service-account-token') {
    if (str(secret.metadata.annotations?.['kubernetes.io/service-account.name']) === '') {
      errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    if (!Object.hasOwn(data, 'username') && !Object.hasOwn(data, 'password')) errs.push(required('data[username]'), required('data[password]'));
  } else {
    for (const key of REQUIRED_KEYS[type] ?? []) if (!Object.hasOwn(data, key)) errs.push(required(`data[${key}]`));
  }
  return errs;
}

/** core/v1 secrets. */
export function secretsResource(): ResourceDefinition {
  return defineResource(secretsInfo(), {
    applyDefaults: defaultSecret,
    prepareForCreate: defaultSecret,
    validateCreate: validateSecret,
    validateUpdate: (secret, old) => [
      ...validateSecret(secret),
      ...validateImmutable(secret.type, old.type, 'type'),
      ...validateImmutableData(secret, old, ['data']),
    ],
  });
}
