import {
  boolField,
  int32Field,
  int64Field,
  message,
  messageField,
  messageMap,
  repeatedMessages,
  repeatedStrings,
  stringField,
  type FieldSpec,
  type MessageType,
} from './descriptor.js';
import { IntOrString, Quantity } from './meta-messages.js';

/**
 * k8s.io/api/core/v1 generated.proto: Container and EphemeralContainer with everything they hold
 * (ports, env, resources, mounts, probes, lifecycle hooks, security context), with their real
 * field numbers, so that any pod kubectl sends by itself decodes (`kubectl debug --copy-to`
 * copies a whole pod). docs/kubectl.md § Protobuf bodies.
 */
export const CORE = 'k8s.io.api.core.v1';

/** A Go struct embedded with `json:",inline"`: its fields sit beside the outer message's. */
export function inlined(key: string): (decoded: Record<string, unknown>) => Record<string, unknown> {
  return ({ [key]: inner, ...rest }) => ({ ...rest, ...(inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : {}) });
}

/** `repeated int64` (proto2, unpacked: one varint per element), e.g. supplementalGroups. */
export const repeatedInt64 = (json: string): FieldSpec => ({ json, type: 'int64', shape: 'repeated', pointer: false });

const ptr = { pointer: true };

export const LocalObjectReference = message(`${CORE}.LocalObjectReference`, { 1: stringField('name') });

export const ContainerPort = message(`${CORE}.ContainerPort`, {
  1: stringField('name'),
  2: int32Field('hostPort'),
  3: int32Field('containerPort'),
  4: stringField('protocol'),
  5: stringField('hostIP'),
});

export const ObjectFieldSelector = message(`${CORE}.ObjectFieldSelector`, { 1: stringField('apiVersion'), 2: stringField('fieldPath') });

export const ResourceFieldSelector = message(`${CORE}.ResourceFieldSelector`, {
  1: stringField('containerName'),
  2: stringField('resource'),
  3: messageField('divisor', Quantity),
});

/** A key of a ConfigMap or Secret; the LocalObjectReference (1) is inline, so `name` sits beside `key`. */
function keySelector(kind: string): MessageType {
  return message(`${CORE}.${kind}KeySelector`, { 1: messageField('localObjectReference', LocalObjectReference), 2: stringField('key'), 3: boolField('optional', ptr) }, inlined('localObjectReference'));
}

const EnvVarSource = message(`${CORE}.EnvVarSource`, {
  1: messageField('fieldRef', ObjectFieldSelector),
  2: messageField('resourceFieldRef', ResourceFieldSelector),
  3: messageField('configMapKeyRef', keySelector('ConfigMap')),
  4: messageField('secretKeyRef', keySelector('Secret')),
});

const EnvVar = message(`${CORE}.EnvVar`, { 1: stringField('name'), 2: stringField('value'), 3: messageField('valueFrom', EnvVarSource) });

function envSource(kind: string): MessageType {
  return message(`${CORE}.${kind}EnvSource`, { 1: messageField('localObjectReference', LocalObjectReference), 2: boolField('optional', ptr) }, inlined('localObjectReference'));
}

const EnvFromSource = message(`${CORE}.EnvFromSource`, {
  1: stringField('prefix'),
  2: messageField('configMapRef', envSource('ConfigMap')),
  3: messageField('secretRef', envSource('Secret')),
});

const ResourceClaim = message(`${CORE}.ResourceClaim`, { 1: stringField('name'), 2: stringField('request') });

export const ResourceRequirements = message(`${CORE}.ResourceRequirements`, {
  1: messageMap('limits', Quantity),
  2: messageMap('requests', Quantity),
  3: repeatedMessages('claims', ResourceClaim),
});

const ContainerResizePolicy = message(`${CORE}.ContainerResizePolicy`, { 1: stringField('resourceName'), 2: stringField('restartPolicy') });

const VolumeMount = message(`${CORE}.VolumeMount`, {
  1: stringField('name'),
  2: boolField('readOnly'),
  3: stringField('mountPath'),
  4: stringField('subPath'),
  5: stringField('mountPropagation', ptr),
  6: stringField('subPathExpr'),
  7: stringField('recursiveReadOnly', ptr),
});

const VolumeDevice = message(`${CORE}.VolumeDevice`, { 1: stringField('name'), 2: stringField('devicePath') });

const ExecAction = message(`${CORE}.ExecAction`, { 1: repeatedStrings('command') });
const HTTPHeader = message(`${CORE}.HTTPHeader`, { 1: stringField('name'), 2: stringField('value') });
const HTTPGetAction = message(`${CORE}.HTTPGetAction`, {
  1: stringField('path'),
  2: messageField('port', IntOrString),
  3: stringField('host'),
  4: stringField('scheme'),
  5: repeatedMessages('httpHeaders', HTTPHeader),
});
const TCPSocketAction = message(`${CORE}.TCPSocketAction`, { 1: messageField('port', IntOrString), 2: stringField('host') });
const GRPCAction = message(`${CORE}.GRPCAction`, { 1: int32Field('port'), 2: stringField('service', ptr) });
const SleepAction = message(`${CORE}.SleepAction`, { 1: int64Field('seconds') });

const ProbeHandler = message(`${CORE}.ProbeHandler`, {
  1: messageField('exec', ExecAction),
  2: messageField('httpGet', HTTPGetAction),
  3: messageField('tcpSocket', TCPSocketAction),
  4: messageField('grpc', GRPCAction),
});

/** Probe embeds its ProbeHandler (1) inline: `exec`, `httpGet`, … sit beside the timings. */
const Probe = message(
  `${CORE}.Probe`,
  {
    1: messageField('handler', ProbeHandler),
    2: int32Field('initialDelaySeconds'),
    3: int32Field('timeoutSeconds'),
    4: int32Field('periodSeconds'),
    5: int32Field('successThreshold'),
    6: int32Field('failureThreshold'),
    7: int64Field('terminationGracePeriodSeconds', ptr),
  },
  inlined('handler'),
);

const LifecycleHandler = message(`${CORE}.LifecycleHandler`, {
  1: messageField('exec', ExecAction),
  2: messageField('httpGet', HTTPGetAction),
  3: messageField('tcpSocket', TCPSocketAction),
  4: messageField('sleep', SleepAction),
});

const Lifecycle = message(`${CORE}.Lifecycle`, { 1: messageField('postStart', LifecycleHandler), 2: messageField('preStop', LifecycleHandler) });

export const SELinuxOptions = message(`${CORE}.SELinuxOptions`, { 1: stringField('user'), 2: stringField('role'), 3: stringField('type'), 4: stringField('level') });

export const WindowsSecurityContextOptions = message(`${CORE}.WindowsSecurityContextOptions`, {
  1: stringField('gmsaCredentialSpecName', ptr),
  2: stringField('gmsaCredentialSpec', ptr),
  3: stringField('runAsUserName', ptr),
  4: boolField('hostProcess', ptr),
});

export const SeccompProfile = message(`${CORE}.SeccompProfile`, { 1: stringField('type'), 2: stringField('localhostProfile', ptr) });
export const AppArmorProfile = message(`${CORE}.AppArmorProfile`, { 1: stringField('type'), 2: stringField('localhostProfile', ptr) });

const Capabilities = message(`${CORE}.Capabilities`, { 1: repeatedStrings('add'), 2: repeatedStrings('drop') });

const SecurityContext = message(`${CORE}.SecurityContext`, {
  1: messageField('capabilities', Capabilities),
  2: boolField('privileged', ptr),
  3: messageField('seLinuxOptions', SELinuxOptions),
  4: int64Field('runAsUser', ptr),
  5: boolField('runAsNonRoot', ptr),
  6: boolField('readOnlyRootFilesystem', ptr),
  7: boolField('allowPrivilegeEscalation', ptr),
  8: int64Field('runAsGroup', ptr),
  9: stringField('procMount', ptr),
  10: messageField('windowsOptions', WindowsSecurityContextOptions),
  11: messageField('seccompProfile', SeccompProfile),
  12: messageField('appArmorProfile', AppArmorProfile),
});

/** Container's fields, which EphemeralContainerCommon repeats with the same numbers. */
const CONTAINER_FIELDS: Record<number, FieldSpec> = {
  1: stringField('name'),
  2: stringField('image'),
  3: repeatedStrings('command'),
  4: repeatedStrings('args'),
  5: stringField('workingDir'),
  6: repeatedMessages('ports', ContainerPort),
  7: repeatedMessages('env', EnvVar),
  8: messageField('resources', ResourceRequirements),
  9: repeatedMessages('volumeMounts', VolumeMount),
  10: messageField('livenessProbe', Probe),
  11: messageField('readinessProbe', Probe),
  12: messageField('lifecycle', Lifecycle),
  13: stringField('terminationMessagePath'),
  14: stringField('imagePullPolicy'),
  15: messageField('securityContext', SecurityContext),
  16: boolField('stdin'),
  17: boolField('stdinOnce'),
  18: boolField('tty'),
  19: repeatedMessages('envFrom', EnvFromSource),
  20: stringField('terminationMessagePolicy'),
  21: repeatedMessages('volumeDevices', VolumeDevice),
  22: messageField('startupProbe', Probe),
  23: repeatedMessages('resizePolicy', ContainerResizePolicy),
  24: stringField('restartPolicy', ptr),
};

export const Container = message(`${CORE}.Container`, CONTAINER_FIELDS);

const EphemeralContainerCommon = message(`${CORE}.EphemeralContainerCommon`, CONTAINER_FIELDS);

/** EphemeralContainer embeds EphemeralContainerCommon (1) inline, beside targetContainerName. */
export const EphemeralContainer = message(
  `${CORE}.EphemeralContainer`,
  { 1: messageField('ephemeralContainerCommon', EphemeralContainerCommon), 2: stringField('targetContainerName') },
  inlined('ephemeralContainerCommon'),
);
