import { int64Field, message, messageField, repeatedStrings, stringField } from './descriptor.js';
import { ObjectMeta, Time } from './meta-messages.js';

/**
 * k8s.io/api authentication/v1 (package k8s.io.api.authentication.v1) generated.proto:
 * TokenRequest, which `kubectl create token` posts to serviceaccounts/NAME/token as protobuf.
 */
const AUTHN = 'k8s.io.api.authentication.v1';

const BoundObjectReference = message(`${AUTHN}.BoundObjectReference`, {
  1: stringField('kind'),
  2: stringField('apiVersion'),
  3: stringField('name'),
  4: stringField('uid'),
});

const TokenRequestSpec = message(`${AUTHN}.TokenRequestSpec`, {
  1: repeatedStrings('audiences'),
  3: messageField('boundObjectRef', BoundObjectReference),
  4: int64Field('expirationSeconds', { pointer: true }),
});

const TokenRequestStatus = message(`${AUTHN}.TokenRequestStatus`, {
  1: stringField('token'),
  2: messageField('expirationTimestamp', Time),
});

export const TokenRequest = message(`${AUTHN}.TokenRequest`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', TokenRequestSpec),
  3: messageField('status', TokenRequestStatus),
});
