import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { validateLabels } from '../common/meta-validation.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../common/name-rules.js';
import { validateContainers } from './container-validation.js';
import { validateEphemeralContainers } from './ephemeral-containers.js';
import { validateVolumes } from './volume-validation.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export function validateRestartPolicy(value: unknown, path: string): FieldError[] {
  const policy = str(value);
  if (policy === '') return [required(path)];
  return RESTART_POLICIES.includes(policy) ? [] : [notSupported(path, policy, RESTART_POLICIES)];
}

export function validateTaintEffect(effect: string, path: string): FieldError[] {
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

/** ValidateTolerations, with Kubernetes' messages. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, t] of indexedObjs(tolerations)) {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    const value = str(t.value);
    if (key !== '') for (const msg of isQualifiedName(key)) errs.push(invalid(`${p}.key`, key, msg));
    if (key === '' && operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) errs.push(invalid(`${p}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') errs.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect !== '') errs.push(...validateTaintEffect(effect, `${p}.effect`));
  }
  return errs;
}

function validateNameField(value: unknown, path: string, rule: (s: string) => string[]): FieldError[] {
  const s = str(value);
  return s === '' ? [] : rule(s).map((msg) => invalid(path, s, msg));
}

/** ValidatePodSpec: the parts this server enforces. `path` is 'spec' or 'spec.template.spec'. */
export function validatePodSpec(spec: Obj | undefined, path: string): FieldError[] {
  if (spec === undefined) return [required(`${path}.containers`)];
  const { errors, names } = validateVolumes(spec.volumes, `${path}.volumes`);
  const errs = [...errors, ...validateContainers(spec, names, path), ...validateEphemeralContainers(spec, names, path)];
  errs.push(...validateRestartPolicy(spec.restartPolicy, `${path}.restartPolicy`));
  const dns = str(spec.dnsPolicy);
  if (dns === '') errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, dns, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateNameField(spec.serviceAccountName, `${path}.serviceAccountName`, isDNS1123Subdomain));
  errs.push(...validateNameField(spec.nodeName, `${path}.nodeName`, isDNS1123Subdomain));
  errs.push(...validateNameField(spec.hostname, `${path}.hostname`, isDNS1123Label));
  errs.push(...validateNameField(spec.subdomain, `${path}.subdomain`, isDNS1123Label));
  const deadline = num(spec.activeDeadlineSeconds);
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  const security = spec.securityContext;
  if (security !== undefined && security !== null && asObj(security) === undefined) {
    errs.push(invalid(`${path}.securityContext`, security, 'must be an object'));
  }
  return errs;
}
