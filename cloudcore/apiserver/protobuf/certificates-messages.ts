import { int32Field, message, messageField, messageMap, repeatedMessages, repeatedStrings, stringField, type FieldSpec } from './descriptor.js';
import { ObjectMeta, Time } from './meta-messages.js';

/**
 * k8s.io/api certificates/v1 generated.proto (package k8s.io.api.certificates.v1): the
 * CertificateSigningRequest that `kubectl certificate approve|deny` sends to the approval
 * subresource as protobuf (docs/users.md § kubectl), with its real field numbers. kubectl sends
 * back the object it read, managedFields included (ObjectMeta decodes them).
 */
const CERTIFICATES = 'k8s.io.api.certificates.v1';

/** []byte fields: base64 in JSON, as Go's encoding/json writes them. */
const bytesField = (json: string): FieldSpec => ({ json, type: 'bytes', shape: 'single', pointer: false });

/** ExtraValue is a []string in JSON; on the wire a message with `repeated string items = 1`. */
const ExtraValue = message(`${CERTIFICATES}.ExtraValue`, { 1: repeatedStrings('items') }, (decoded) => decoded.items ?? []);

const CertificateSigningRequestSpec = message(`${CERTIFICATES}.CertificateSigningRequestSpec`, {
  1: bytesField('request'),
  2: stringField('username'),
  3: stringField('uid'),
  4: repeatedStrings('groups'),
  5: repeatedStrings('usages'),
  6: messageMap('extra', ExtraValue),
  7: stringField('signerName'),
  8: int32Field('expirationSeconds', { pointer: true }),
});

const CertificateSigningRequestCondition = message(`${CERTIFICATES}.CertificateSigningRequestCondition`, {
  1: stringField('type'),
  2: stringField('reason'),
  3: stringField('message'),
  4: messageField('lastUpdateTime', Time),
  5: messageField('lastTransitionTime', Time),
  6: stringField('status'),
});

const CertificateSigningRequestStatus = message(`${CERTIFICATES}.CertificateSigningRequestStatus`, {
  1: repeatedMessages('conditions', CertificateSigningRequestCondition),
  2: bytesField('certificate'),
});

export const CertificateSigningRequest = message(`${CERTIFICATES}.CertificateSigningRequest`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', CertificateSigningRequestSpec),
  3: messageField('status', CertificateSigningRequestStatus),
});
