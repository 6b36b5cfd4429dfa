import { defineResourceInfo, nameColumn } from '../../../shared/apimachinery/resources/index.js';
import type { ResourceInfo, TableSpec } from '../../../shared/apimachinery/resources/index.js';
import { defineResource } from '../kinds/common/define-resource.js';
import type { ResourceDefinition } from '../kinds/types.js';

/**
 * The review kinds of authorization.k8s.io/v1 and authentication.k8s.io/v1: virtual resources
 * that only answer a `create` and store nothing (docs/rbac.md § Reviews).
 */
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

const table: TableSpec = { columns: [nameColumn()], cells: (obj) => [obj.metadata.name ?? ''] };

function reviewInfo(group: string, resource: string, kind: string, namespaced: boolean): ResourceInfo {
  return defineResourceInfo({ group, version: 'v1', resource, kind, namespaced, verbs: ['create'], table });
}

function reviewResource(info: ResourceInfo): ResourceDefinition {
  // Never stored: the handlers validate the spec themselves and answer with a status.
  return defineResource(info, { validateCreate: () => [] });
}

export function reviewResources(): ResourceDefinition[] {
  return [
    reviewInfo(AUTHORIZATION_GROUP, 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false),
    reviewInfo(AUTHORIZATION_GROUP, 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false),
    reviewInfo(AUTHORIZATION_GROUP, 'subjectaccessreviews', 'SubjectAccessReview', false),
    reviewInfo(AUTHORIZATION_GROUP, 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true),
    reviewInfo(AUTHENTICATION_GROUP, 'selfsubjectreviews', 'SelfSubjectReview', false),
    reviewInfo(AUTHENTICATION_GROUP, 'tokenreviews', 'TokenReview', false),
  ].map(reviewResource);
}
