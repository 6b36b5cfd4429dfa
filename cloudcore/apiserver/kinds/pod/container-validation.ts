import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { isDNS1123Label, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from '../common/name-rules.js';
import { validateResourceRequirements } from './resource-requirements.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const HANDLER_TYPES = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

export function validateDNS1123LabelField(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(path, value, msg));
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of indexedObjs(ports)) {
    const p = `${path}[${i}]`;
    const name = str(port.name);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(`${p}.name`, name, msg));
      else if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort) ?? 0;
    if (containerPort === 0) errs.push(required(`${p}.containerPort`));
    else for (const msg of isValidPortNum(containerPort)) errs.push(invalid(`${p}.containerPort`, containerPort, msg));
    const hostPort = num(port.hostPort) ?? 0;
    if (hostPort !== 0) for (const msg of isValidPortNum(hostPort)) errs.push(invalid(`${p}.hostPort`, hostPort, msg));
    const protocol = str(port.protocol);
    if (protocol === '') errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${p}.protocol`, protocol, PROTOCOLS));
  }
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, item] of indexedObjs(env)) {
    const p = `${path}[${i}]`;
    const name = str(item.name);
    if (name === '') errs.push(required(`${p}.name`));
    else for (const msg of isRelaxedEnvVarName(name)) errs.push(invalid(`${p}.name`, name, msg));
    const valueFrom = asObj(item.valueFrom);
    if (valueFrom !== undefined) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => valueFrom[k] !== undefined);
      if (sources.length === 0) errs.push(invalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) errs.push(invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
      else if (str(item.value) !== '') errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  }
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumeNames: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  for (const [i, mount] of indexedObjs(mounts)) {
    const p = `${path}[${i}]`;
    const name = str(mount.name);
    if (name === '') errs.push(required(`${p}.name`));
    if (!volumeNames.has(name)) errs.push(notFound(`${p}.name`, name));
    const mountPath = str(mount.mountPath);
    if (mountPath === '') errs.push(required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
  }
  return errs;
}

function validateProbe(probe: unknown, path: string, liveness: boolean): FieldError[] {
  const p = asObj(probe);
  if (p === undefined) return [];
  const errs: FieldError[] = [];
  const handlers = HANDLER_TYPES.filter((h) => p[h] !== undefined && p[h] !== null);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const extra of handlers.slice(1)) errs.push(forbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  if (liveness && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const value = num(p[key]);
    if (value !== undefined && value < 0) errs.push(invalid(`${path}.${key}`, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** validateContainerCommon plus probes: what every container (init or not) must satisfy. */
export function validateContainer(container: Obj, volumeNames: ReadonlySet<string>, path: string, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(container.name);
  if (name === '') errs.push(required(`${path}.name`));
  else errs.push(...validateDNS1123LabelField(name, `${path}.name`));
  if (str(container.image) === '') errs.push(required(`${path}.image`));
  const policy = str(container.terminationMessagePolicy);
  if (policy === '') errs.push(required(`${path}.terminationMessagePolicy`, "must be 'File' or 'FallbackToLogsOnError'"));
  else if (policy !== 'File' && policy !== 'FallbackToLogsOnError') {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, policy, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validatePorts(container.ports, `${path}.ports`));
  errs.push(...validateEnv(container.env, `${path}.env`));
  errs.push(...validateVolumeMounts(container.volumeMounts, volumeNames, `${path}.volumeMounts`));
  const pull = str(container.imagePullPolicy);
  if (pull === '') errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, PULL_POLICIES));
  errs.push(...validateResourceRequirements(container.resources, `${path}.resources`));
  const sidecar = init && container.restartPolicy === 'Always';
  if (!init || sidecar) {
    errs.push(...validateProbe(container.livenessProbe, `${path}.livenessProbe`, true));
    errs.push(...validateProbe(container.readinessProbe, `${path}.readinessProbe`, false));
    errs.push(...validateProbe(container.startupProbe, `${path}.startupProbe`, true));
  } else {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (container[probe] !== undefined) errs.push(forbidden(`${path}.${probe}`, `may not be set for init containers without restartPolicy=Always`));
    }
  }
  if (init && container.restartPolicy !== undefined && container.restartPolicy !== 'Always') {
    errs.push(notSupported(`${path}.restartPolicy`, container.restartPolicy, ['Always']));
  }
  if (!init && container.restartPolicy !== undefined) errs.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  return errs;
}

/** Regular containers (required, names unique) and init containers (names unique across both). */
export function validateContainers(spec: Obj, volumeNames: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const containers = indexedObjs(spec.containers);
  const names = new Set<string>();
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  for (const [i, c] of containers) {
    const p = `${path}.containers[${i}]`;
    errs.push(...validateContainer(c, volumeNames, p, false));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
  }
  for (const [i, c] of indexedObjs(spec.initContainers)) {
    const p = `${path}.initContainers[${i}]`;
    errs.push(...validateContainer(c, volumeNames, p, true));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
  }
  return errs;
}
