export type { Binding, PolicyRule, RbacDecision, RbacSource, RbacUser, RequestAttributes, Role, RoleRef, Subject } from './types.js';
export { readBinding, readRole } from './parse.js';
export { apiGroupMatches, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, subjectMatches, verbMatches } from './rule-match.js';
export { authorizeRbac, rulesForUser } from './evaluate.js';
