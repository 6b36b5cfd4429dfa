import { duplicate, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { arrayOf, asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { isDNS1123Subdomain } from '../common/name-rules.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REVIEW_VERSIONS = ['v1', 'v1beta1'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];

/** SetDefaults for admissionregistration.k8s.io/v1 webhooks. */
export function defaultWebhook(hook: Obj, mutating: boolean): void {
  hook.failurePolicy ??= 'Fail';
  hook.matchPolicy ??= 'Equivalent';
  hook.namespaceSelector ??= {};
  hook.objectSelector ??= {};
  hook.timeoutSeconds ??= 10;
  if (mutating) hook.reinvocationPolicy ??= 'Never';
  for (const rule of arrayOf(hook.rules)) {
    const r = asObj(rule);
    if (r !== undefined) r.scope ??= '*';
  }
  const service = asObj(asObj(hook.clientConfig)?.service);
  if (service !== undefined) service.port ??= 443;
}

/** IsFullyQualifiedName: a DNS subdomain with at least three segments. */
function fullyQualifiedNameErrors(name: string, path: string): FieldError[] {
  if (name === '') return [required(path)];
  const errs = isDNS1123Subdomain(name).map((msg) => invalid(path, name, msg));
  if (errs.length === 0 && name.split('.').length < 3) errs.push(invalid(path, name, 'should be a domain with at least three segments separated by dots'));
  return errs;
}

function validateClientConfig(config: Obj, path: string): FieldError[] {
  const url = config.url;
  const service = asObj(config.service);
  if ((url === undefined) === (service === undefined)) return [required(path, 'exactly one of url or service is required')];
  if (service === undefined) {
    return /^https:\/\//.test(str(url)) ? [] : [invalid(`${path}.url`, url, "'https' is the only allowed URL scheme")];
  }
  const errs: FieldError[] = [];
  if (str(service.name) === '') errs.push(required(`${path}.service.name`, 'service name is required'));
  if (str(service.namespace) === '') errs.push(required(`${path}.service.namespace`, 'service namespace is required'));
  return errs;
}

function validateRule(rule: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['operations', 'apiGroups', 'apiVersions', 'resources']) {
    if (arrayOf(rule[key]).length === 0) errs.push(required(`${path}.${key}`));
  }
  arrayOf(rule.operations).forEach((op, i) => {
    if (!OPERATIONS.includes(str(op))) errs.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  if (rule.scope !== undefined && !SCOPES.includes(str(rule.scope))) errs.push(notSupported(`${path}.scope`, rule.scope, SCOPES));
  return errs;
}

function validateWebhook(hook: Obj, path: string, mutating: boolean): FieldError[] {
  const errs = fullyQualifiedNameErrors(str(hook.name), `${path}.name`);
  errs.push(...validateClientConfig(asObj(hook.clientConfig) ?? {}, `${path}.clientConfig`));
  for (const [i, rule] of indexedObjs(hook.rules)) errs.push(...validateRule(rule, `${path}.rules[${i}]`));
  const versions = arrayOf(hook.admissionReviewVersions).map((v) => str(v));
  if (!versions.some((v) => REVIEW_VERSIONS.includes(v))) errs.push(required(`${path}.admissionReviewVersions`, `must specify one of ${REVIEW_VERSIONS.join(', ')}`));
  const sideEffects = hook.sideEffects;
  if (sideEffects === undefined || sideEffects === null) errs.push(required(`${path}.sideEffects`, `must specify one of ${SIDE_EFFECTS.join(', ')}`));
  else if (!SIDE_EFFECTS.includes(str(sideEffects))) errs.push(notSupported(`${path}.sideEffects`, sideEffects, SIDE_EFFECTS));
  if (!FAILURE_POLICIES.includes(str(hook.failurePolicy))) errs.push(notSupported(`${path}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES));
  if (!MATCH_POLICIES.includes(str(hook.matchPolicy))) errs.push(notSupported(`${path}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES));
  if (mutating && !REINVOCATION_POLICIES.includes(str(hook.reinvocationPolicy))) errs.push(notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES));
  const timeout = num(hook.timeoutSeconds);
  if (timeout !== undefined && (timeout < 1 || timeout > 30)) errs.push(invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  errs.push(...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`), ...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`));
  return errs;
}

/** validateMutatingWebhookConfiguration / validateValidatingWebhookConfiguration: each webhook, names unique. */
export function validateWebhooks(webhooks: unknown, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, hook] of indexedObjs(webhooks)) {
    const path = `webhooks[${i}]`;
    errs.push(...validateWebhook(hook, path, mutating));
    const name = str(hook.name);
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  return errs;
}
