import { message, messageField, repeatedMessages, repeatedStrings, stringField } from './descriptor.js';
import { LabelSelector, ObjectMeta } from './meta-messages.js';

/**
 * k8s.io/api rbac/v1 generated.proto (package k8s.io.api.rbac.v1): what `kubectl create role|
 * clusterrole|rolebinding|clusterrolebinding` sends, with the real field numbers.
 */
const RBAC = 'k8s.io.api.rbac.v1';

const PolicyRule = message(`${RBAC}.PolicyRule`, {
  1: repeatedStrings('verbs'),
  2: repeatedStrings('apiGroups'),
  3: repeatedStrings('resources'),
  4: repeatedStrings('resourceNames'),
  5: repeatedStrings('nonResourceURLs'),
});

const AggregationRule = message(`${RBAC}.AggregationRule`, { 1: repeatedMessages('clusterRoleSelectors', LabelSelector) });

const Subject = message(`${RBAC}.Subject`, { 1: stringField('kind'), 2: stringField('apiGroup'), 3: stringField('name'), 4: stringField('namespace') });

const RoleRef = message(`${RBAC}.RoleRef`, { 1: stringField('apiGroup'), 2: stringField('kind'), 3: stringField('name') });

export const Role = message(`${RBAC}.Role`, { 1: messageField('metadata', ObjectMeta), 2: repeatedMessages('rules', PolicyRule) });

export const ClusterRole = message(`${RBAC}.ClusterRole`, {
  1: messageField('metadata', ObjectMeta),
  2: repeatedMessages('rules', PolicyRule),
  3: messageField('aggregationRule', AggregationRule),
});

export const RoleBinding = message(`${RBAC}.RoleBinding`, {
  1: messageField('metadata', ObjectMeta),
  2: repeatedMessages('subjects', Subject),
  3: messageField('roleRef', RoleRef),
});

export const ClusterRoleBinding = message(`${RBAC}.ClusterRoleBinding`, {
  1: messageField('metadata', ObjectMeta),
  2: repeatedMessages('subjects', Subject),
  3: messageField('roleRef', RoleRef),
});
