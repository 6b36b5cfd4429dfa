/**
 * What the builders return besides a value. A failure keeps the shared Result shape (code +
 * message, so it is a Result<T>) and adds kubelet's reason, which the pod worker shows as the
 * container's waiting reason or the event reason: `CreateContainerConfigError` for anything that
 * stops a container config from being built (kubelet's ErrCreateContainerConfig), and
 * `CreatePodSandboxError` for the sandbox (kubelet's ErrCreatePodSandbox). The code says what kind
 * of problem it was: NotFound for a missing ConfigMap, Secret or key, Unavailable when a host file
 * (resolv.conf) cannot be read, Invalid for the rest.
 */
export type ConfigErrorReason = 'CreateContainerConfigError' | 'CreatePodSandboxError';

export interface ConfigFailure<R extends ConfigErrorReason = ConfigErrorReason> {
  ok: false;
  code: StepFailure['code'];
  message: string;
  reason: R;
}

export type ConfigResult<T, R extends ConfigErrorReason = ConfigErrorReason> = { ok: true; value: T } | ConfigFailure<R>;

/** A failure without its reason yet; the builder that reports it adds the reason. */
export interface StepFailure {
  ok: false;
  code: 'NotFound' | 'Invalid' | 'Unavailable';
  message: string;
}

export type StepResult<T> = { ok: true; value: T } | StepFailure;

export function stepFail(code: StepFailure['code'], message: string): StepFailure {
  return { ok: false, code, message };
}

export function withReason<R extends ConfigErrorReason>(failure: StepFailure, reason: R): ConfigFailure<R> {
  return { ok: false, code: failure.code, message: failure.message, reason };
}

/**
 * Something kubelet reports as a Warning event on the pod without failing: env keys skipped
 * because they are not valid names, a ClusterFirst pod with no cluster DNS configured, a DNS
 * config cut down to the resolver's limits.
 */
export interface PodSpecWarning {
  reason: 'InvalidEnvironmentVariableNames' | 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

export type WarningSink = (warning: PodSpecWarning) => void;
