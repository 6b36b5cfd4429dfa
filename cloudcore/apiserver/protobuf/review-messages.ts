import { boolField, message, messageField, messageMap, repeatedMessages, repeatedStrings, stringField } from './descriptor.js';
import { LabelSelectorRequirement, ObjectMeta } from './meta-messages.js';

/**
 * k8s.io/api authorization/v1 and authentication/v1 generated.proto: the reviews kubectl's
 * typed clients send as protobuf (`auth can-i`, `auth whoami`), with the real field numbers.
 */
const AUTHZ = 'k8s.io.api.authorization.v1';
const AUTHN = 'k8s.io.api.authentication.v1';

/** ExtraValue is a list of strings, and its JSON is that list. */
const AuthzExtraValue = message(`${AUTHZ}.ExtraValue`, { 1: repeatedStrings('items') }, (v) => v.items ?? []);
const AuthnExtraValue = message(`${AUTHN}.ExtraValue`, { 1: repeatedStrings('items') }, (v) => v.items ?? []);

const FieldSelectorRequirement = message('k8s.io.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement', {
  1: stringField('key'),
  2: stringField('operator'),
  3: repeatedStrings('values'),
});

const FieldSelectorAttributes = message(`${AUTHZ}.FieldSelectorAttributes`, { 1: stringField('rawSelector'), 2: repeatedMessages('requirements', FieldSelectorRequirement) });
const LabelSelectorAttributes = message(`${AUTHZ}.LabelSelectorAttributes`, { 1: stringField('rawSelector'), 2: repeatedMessages('requirements', LabelSelectorRequirement) });

const ResourceAttributes = message(`${AUTHZ}.ResourceAttributes`, {
  1: stringField('namespace'),
  2: stringField('verb'),
  3: stringField('group'),
  4: stringField('version'),
  5: stringField('resource'),
  6: stringField('subresource'),
  7: stringField('name'),
  8: messageField('fieldSelector', FieldSelectorAttributes),
  9: messageField('labelSelector', LabelSelectorAttributes),
});

const NonResourceAttributes = message(`${AUTHZ}.NonResourceAttributes`, { 1: stringField('path'), 2: stringField('verb') });

const SubjectAccessReviewStatus = message(`${AUTHZ}.SubjectAccessReviewStatus`, {
  1: boolField('allowed'),
  2: stringField('reason'),
  3: stringField('evaluationError'),
  4: boolField('denied'),
});

const SelfSubjectAccessReviewSpec = message(`${AUTHZ}.SelfSubjectAccessReviewSpec`, {
  1: messageField('resourceAttributes', ResourceAttributes),
  2: messageField('nonResourceAttributes', NonResourceAttributes),
});

const SubjectAccessReviewSpec = message(`${AUTHZ}.SubjectAccessReviewSpec`, {
  1: messageField('resourceAttributes', ResourceAttributes),
  2: messageField('nonResourceAttributes', NonResourceAttributes),
  3: stringField('user'),
  4: repeatedStrings('groups'),
  5: messageMap('extra', AuthzExtraValue),
  6: stringField('uid'),
});

export const SelfSubjectAccessReview = message(`${AUTHZ}.SelfSubjectAccessReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', SelfSubjectAccessReviewSpec),
  3: messageField('status', SubjectAccessReviewStatus),
});

export const SubjectAccessReview = message(`${AUTHZ}.SubjectAccessReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', SubjectAccessReviewSpec),
  3: messageField('status', SubjectAccessReviewStatus),
});

export const LocalSubjectAccessReview = message(`${AUTHZ}.LocalSubjectAccessReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', SubjectAccessReviewSpec),
  3: messageField('status', SubjectAccessReviewStatus),
});

/** The status is the server's answer; a client sends it empty. */
const SubjectRulesReviewStatus = message(`${AUTHZ}.SubjectRulesReviewStatus`, { 3: boolField('incomplete'), 4: stringField('evaluationError') });

export const SelfSubjectRulesReview = message(`${AUTHZ}.SelfSubjectRulesReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', message(`${AUTHZ}.SelfSubjectRulesReviewSpec`, { 1: stringField('namespace') })),
  3: messageField('status', SubjectRulesReviewStatus),
});

const UserInfo = message(`${AUTHN}.UserInfo`, {
  1: stringField('username'),
  2: stringField('uid'),
  3: repeatedStrings('groups'),
  4: messageMap('extra', AuthnExtraValue),
});

export const SelfSubjectReview = message(`${AUTHN}.SelfSubjectReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('status', message(`${AUTHN}.SelfSubjectReviewStatus`, { 1: messageField('userInfo', UserInfo) })),
});

const TokenReviewStatus = message(`${AUTHN}.TokenReviewStatus`, {
  1: boolField('authenticated'),
  2: messageField('user', UserInfo),
  3: stringField('error'),
  4: repeatedStrings('audiences'),
});

export const TokenReview = message(`${AUTHN}.TokenReview`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', message(`${AUTHN}.TokenReviewSpec`, { 1: stringField('token'), 2: repeatedStrings('audiences') })),
  3: messageField('status', TokenReviewStatus),
});
