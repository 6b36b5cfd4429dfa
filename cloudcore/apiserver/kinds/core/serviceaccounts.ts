import { serviceAccountsInfo } from '../../../../shared/apimachinery/resources/builtin/serviceaccounts.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';

/** core/v1 serviceaccounts. */
export function serviceAccountsResource(): ResourceDefinition {
  return defineResource(serviceAccountsInfo(), {
    validateCreate: (sa) => validateObjectMeta(sa, { namespaced: true, nameRule: nameIsDNSSubdomain }),
  });
}
