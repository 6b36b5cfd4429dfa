/**
 * A container's environment, as kubelet builds it (kubelet_pods.go makeEnvironmentVariables):
 *  1. envFrom, in order: every key of the ConfigMap's data / the Secret's data (decoded), with the
 *     prefix; keys that are not valid env names are skipped and reported in one Warning
 *     (InvalidEnvironmentVariableNames), as kubelet's event.
 *  2. env, in order: `value` with $(VAR) expanded against what is defined so far (envFrom and the
 *     earlier env entries), or valueFrom resolved; a later definition replaces an earlier one.
 * kubelet collects into a Go map, so its order is random; here a name keeps the place of its first
 * definition, and an envFrom source's keys come sorted, so the same pod always gives the same list.
 * A missing ConfigMap/Secret or key fails (unless optional) with kubelet's message. Service link
 * variables of Services are not added (edged has no service list), except the API's own
 * (KUBERNETES_SERVICE_HOST...), which kubelet always adds: at the edge they name MetaServer's HTTPS
 * listener, on loopback for hostNetwork pods, on the bridge gateway for pod-network pods
 * (docs/service-accounts.md § At the edge).
 */
import type { KeyValue } from '../cri/index.js';
import { fieldRefValue, resourceFieldRefValue, type PodAddresses } from './downward-api.js';
import { expandVariables, lookupIn } from './expansion.js';
import type { MachineInfo } from './machine.js';
import type { ObjectLookup } from './object-lookup.js';
import { stepFail, type StepResult, type WarningSink } from './outcomes.js';
import type { EnvFromSource, EnvVar, Pod, PodContainer } from './pod-schema.js';
import { ownValue } from './own-value.js';

/** validation.IsEnvVarName. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface EnvironmentInput extends PodAddresses {
  pod: Pod;
  container: PodContainer;
  lookup: ObjectLookup;
  machine: MachineInfo;
  onWarning?: WarningSink | undefined;
}

type DataSource = { kind: 'ConfigMap'; data: Record<string, string> } | { kind: 'Secret'; data: Record<string, string> };

/** Fetches ConfigMaps and Secrets once per build, decoding secret values; undefined = not found. */
class SourceCache {
  private readonly configMaps = new Map<string, Record<string, string> | undefined>();
  private readonly secrets = new Map<string, StepResult<Record<string, string>> | undefined>();

  constructor(
    private readonly lookup: ObjectLookup,
    private readonly namespace: string,
  ) {}

  configMap(name: string): Record<string, string> | undefined {
    if (!this.configMaps.has(name)) {
      const found = this.lookup.configMap(this.namespace, name);
      this.configMaps.set(name, found === undefined ? undefined : (found.data ?? {}));
    }
    return this.configMaps.get(name);
  }

  secret(name: string): StepResult<Record<string, string>> | undefined {
    if (!this.secrets.has(name)) {
      const found = this.lookup.secret(this.namespace, name);
      this.secrets.set(name, found === undefined ? undefined : decodeSecret(this.namespace, name, found.data ?? {}));
    }
    return this.secrets.get(name);
  }
}

function decodeSecret(namespace: string, name: string, data: Record<string, string>): StepResult<Record<string, string>> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!BASE64.test(value)) return stepFail('Invalid', `secret ${namespace}/${name}: key ${key} is not valid base64`);
    decoded[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return { ok: true, value: decoded };
}

export function makeEnvironment(input: EnvironmentInput): StepResult<KeyValue[]> {
  const { pod, container } = input;
  const sources = new SourceCache(input.lookup, pod.metadata.namespace);
  const env = new Map<string, string>();
  // kubelet's service variables come first: the pod's own env may override them.
  for (const [key, value] of inClusterServiceEnv(pod, input.lookup)) env.set(key, value);
  for (const source of container.envFrom ?? []) {
    const added = addEnvFrom(source, sources, env, input);
    if (!added.ok) return added;
  }
  const lookup = lookupIn(env);
  for (const variable of container.env ?? []) {
    const value = envValue(variable, sources, lookup, input);
    if (!value.ok) return value;
    if (value.value !== undefined) env.set(variable.name, value.value);
  }
  return { ok: true, value: [...env].map(([key, value]) => ({ key, value })) };
}

/** The `kubernetes` Service's variables, as kubelet makes them (pkg/kubelet/envvars), pointing at MetaServer. */
function inClusterServiceEnv(pod: Pod, lookup: ObjectLookup): Array<[string, string]> {
  const service = lookup.inClusterService?.(pod.spec.hostNetwork === true ? 'host' : 'pod');
  if (service === undefined) return [];
  const { host, port } = service;
  const url = `tcp://${host}:${port}`;
  return [
    ['KUBERNETES_SERVICE_HOST', host],
    ['KUBERNETES_SERVICE_PORT', String(port)],
    ['KUBERNETES_SERVICE_PORT_HTTPS', String(port)],
    ['KUBERNETES_PORT', url],
    [`KUBERNETES_PORT_${port}_TCP`, url],
    [`KUBERNETES_PORT_${port}_TCP_PROTO`, 'tcp'],
    [`KUBERNETES_PORT_${port}_TCP_PORT`, String(port)],
    [`KUBERNETES_PORT_${port}_TCP_ADDR`, host],
  ];
}

function addEnvFrom(source: EnvFromSource, sources: SourceCache, env: Map<string, string>, input: EnvironmentInput): StepResult<void> {
  const namespace = input.pod.metadata.namespace;
  const ref = source.configMapRef ?? source.secretRef;
  if (ref === undefined) return { ok: true, value: undefined };
  const found = resolveSource(source.configMapRef !== undefined ? 'ConfigMap' : 'Secret', ref.name, sources);
  if (!found.ok) return found;
  if (found.value === undefined) {
    if (ref.optional === true) return { ok: true, value: undefined };
    return stepFail('NotFound', notFoundMessage(source.configMapRef !== undefined ? 'ConfigMap' : 'Secret', ref.name));
  }
  const invalid: string[] = [];
  for (const key of Object.keys(found.value.data).sort()) {
    const name = `${source.prefix ?? ''}${key}`;
    if (!ENV_NAME.test(name)) invalid.push(name);
    else env.set(name, ownValue(found.value.data, key) ?? '');
  }
  if (invalid.length > 0) {
    const what = found.value.kind === 'ConfigMap' ? 'configMap' : 'secret';
    input.onWarning?.({
      reason: 'InvalidEnvironmentVariableNames',
      message: `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${namespace}/${ref.name} were skipped since they are considered invalid environment variable names.`,
    });
  }
  return { ok: true, value: undefined };
}

function resolveSource(kind: DataSource['kind'], name: string, sources: SourceCache): StepResult<DataSource | undefined> {
  if (kind === 'ConfigMap') {
    const data = sources.configMap(name);
    return { ok: true, value: data === undefined ? undefined : { kind, data } };
  }
  const secret = sources.secret(name);
  if (secret === undefined) return { ok: true, value: undefined };
  if (!secret.ok) return secret;
  return { ok: true, value: { kind, data: secret.value } };
}

/** kubelet's NotFound text from its configmap/secret managers: `configmap "x" not found`. */
function notFoundMessage(kind: DataSource['kind'], name: string): string {
  return `${kind === 'ConfigMap' ? 'configmap' : 'secret'} ${JSON.stringify(name)} not found`;
}

/** One env entry's value; undefined when an optional source is missing (the entry is then left out). */
function envValue(variable: EnvVar, sources: SourceCache, lookup: (name: string) => string | undefined, input: EnvironmentInput): StepResult<string | undefined> {
  const { pod, container } = input;
  if (variable.value !== undefined && variable.value !== '') return { ok: true, value: expandVariables(variable.value, lookup) };
  const from = variable.valueFrom;
  if (from === undefined) return { ok: true, value: '' };
  if (from.fieldRef !== undefined) return fieldRefValue(from.fieldRef, pod, input);
  if (from.resourceFieldRef !== undefined) return resourceFieldRefValue(from.resourceFieldRef, pod, container, input.machine);
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (keyRef === undefined) return { ok: true, value: '' };
  const kind = from.configMapKeyRef !== undefined ? 'ConfigMap' : 'Secret';
  const found = resolveSource(kind, keyRef.name, sources);
  if (!found.ok) return found;
  const optional = keyRef.optional === true;
  if (found.value === undefined) return optional ? { ok: true, value: undefined } : stepFail('NotFound', notFoundMessage(kind, keyRef.name));
  const value = ownValue(found.value.data, keyRef.key);
  if (value !== undefined) return { ok: true, value };
  if (optional) return { ok: true, value: undefined };
  return stepFail('NotFound', `couldn't find key ${keyRef.key} in ${kind} ${pod.metadata.namespace}/${keyRef.name}`);
}
