/**
 * The CRI client edged drives the container runtime with: RuntimeService and ImageService of
 * runtime.v1 (k8s.io/cri-api) over one gRPC channel to a unix socket. Every method answers a
 * Result; nothing here throws for a runtime or transport failure.
 */
import { Client, credentials } from '@grpc/grpc-js';
import type { z } from 'zod';
import { fail, type Result } from '../../../shared/errors.js';
import { callUnary } from './unary-call.js';
import type { CriServiceName } from './runtime-proto.js';
import { runPodSandboxAnswerSchema, podSandboxStatusAnswerSchema, listPodSandboxAnswerSchema, type PodSandbox, type PodSandboxStatusResult } from './sandbox-answers.js';
import { createContainerAnswerSchema, listContainersAnswerSchema, containerStatusAnswerSchema, execSyncAnswerSchema, execAnswerSchema, type Container, type ContainerStatusResult, type ExecSyncResult } from './container-answers.js';
import { imageStatusAnswerSchema, listImagesAnswerSchema, pullImageAnswerSchema, type Image, type ImageStatusResult } from './image-answers.js';
import { emptyAnswerSchema, statusAnswerSchema, versionAnswerSchema, type RuntimeStatusResult, type VersionInfo } from './runtime-answers.js';
import type { AuthConfig, ContainerConfig, ContainerFilter, ImageFilter, ImageSpec, PodSandboxConfig, PodSandboxFilter } from './request-types.js';
import { waitForVersion } from './wait-ready.js';

export interface CriClientOptions {
  /** e.g. "unix:///run/outpost/containerd.sock". */
  endpoint: string;
  /** Deadline of an ordinary call; default 30 s. */
  timeoutMs?: number;
  /** Deadline of PullImage, which downloads; default 2 min. */
  pullTimeoutMs?: number;
}

export interface CriClient {
  readonly endpoint: string;
  version(): Promise<Result<VersionInfo>>;
  /** Resolves to the new sandbox's id. */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<Result<string>>;
  stopPodSandbox(podSandboxId: string): Promise<Result<void>>;
  removePodSandbox(podSandboxId: string): Promise<Result<void>>;
  podSandboxStatus(podSandboxId: string, verbose?: boolean): Promise<Result<PodSandboxStatusResult>>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<Result<PodSandbox[]>>;
  /** Resolves to the new container's id. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<Result<string>>;
  startContainer(containerId: string): Promise<Result<void>>;
  /** Sends SIGTERM, waits up to timeoutSeconds, then kills; the call's deadline allows for that wait. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<Result<void>>;
  removeContainer(containerId: string): Promise<Result<void>>;
  listContainers(filter?: ContainerFilter): Promise<Result<Container[]>>;
  containerStatus(containerId: string, verbose?: boolean): Promise<Result<ContainerStatusResult>>;
  reopenContainerLog(containerId: string): Promise<Result<void>>;
  /** Runs cmd in the container; timeoutSeconds 0 lets it run until the call's own deadline. */
  /** A run past `timeoutSeconds` fails with code Timeout. */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<Result<ExecSyncResult>>;
  /** Prepares a streaming exec; resolves to the URL of the runtime's streaming server that runs it. */
  exec(containerId: string, cmd: string[], io: ExecIo): Promise<Result<string>>;
  /** Prepares a streaming attach to the container's process; resolves to the streaming server's URL. */
  attach(containerId: string, io: ExecIo): Promise<Result<string>>;
  status(verbose?: boolean): Promise<Result<RuntimeStatusResult>>;
  listImages(filter?: ImageFilter): Promise<Result<Image[]>>;
  /** `image` is undefined (not an error) when the runtime does not have it. */
  imageStatus(image: string | ImageSpec, verbose?: boolean): Promise<Result<ImageStatusResult>>;
  /** Resolves to the image reference the runtime stored. */
  pullImage(image: string | ImageSpec, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<Result<string>>;
  removeImage(image: string | ImageSpec): Promise<Result<void>>;
  /** Calls Version until the runtime answers, for at most timeoutMs or until signal aborts. */
  waitReady(signal: AbortSignal, timeoutMs: number): Promise<Result<VersionInfo>>;
  /** Closes the channel; later calls fail with code Unavailable. Idempotent. */
  close(): void;
}

/** Which standard streams a streaming exec has (ExecRequest). */
export interface ExecIo {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** The kubelet runtime API version sent in VersionRequest (containerd only echoes it). */
const CRI_API_VERSION = 'v1';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PULL_TIMEOUT_MS = 120_000;

/**
 * Channel settings. Reconnect backoff is kept short because edged supervises a local socket that
 * appears within a second of containerd starting; grpc-js' default backoff grows to two minutes.
 * The receive limit allows ExecSync's two 16 MiB outputs (api.proto caps each at 16 MiB).
 */
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  'grpc.max_receive_message_length': 34 * 1024 * 1024,
};

function imageSpec(image: string | ImageSpec): ImageSpec {
  return typeof image === 'string' ? { image } : image;
}

export function createCriClient(options: CriClientOptions): CriClient {
  const { endpoint } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pullTimeoutMs = options.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS;
  const client = new Client(endpoint, credentials.createInsecure(), CHANNEL_OPTIONS);
  let closed = false;

  function call<T>(service: CriServiceName, rpc: string, request: object, answer: z.ZodType<T>, deadlineMs = timeoutMs, signal?: AbortSignal): Promise<Result<T>> {
    if (closed) return Promise.resolve(fail('Unavailable', `${service}/${rpc}: the CRI client for ${endpoint} is closed`));
    return callUnary(client, endpoint, { service, rpc, request, answer, deadlineMs, ...(signal === undefined ? {} : { signal }) });
  }
  const runtime = <T>(rpc: string, request: object, answer: z.ZodType<T>, deadlineMs?: number): Promise<Result<T>> =>
    call('RuntimeService', rpc, request, answer, deadlineMs);
  const images = <T>(rpc: string, request: object, answer: z.ZodType<T>, deadlineMs?: number): Promise<Result<T>> =>
    call('ImageService', rpc, request, answer, deadlineMs);
  const mapOk = async <A, B>(pending: Promise<Result<A>>, pick: (value: A) => B): Promise<Result<B>> => {
    const result = await pending;
    return result.ok ? { ok: true, value: pick(result.value) } : result;
  };

  return {
    endpoint,
    version: () => runtime('Version', { version: CRI_API_VERSION }, versionAnswerSchema),
    runPodSandbox: (config, runtimeHandler = '') =>
      mapOk(runtime('RunPodSandbox', { config, runtimeHandler }, runPodSandboxAnswerSchema), (answer) => answer.podSandboxId),
    stopPodSandbox: (podSandboxId) => runtime('StopPodSandbox', { podSandboxId }, emptyAnswerSchema),
    removePodSandbox: (podSandboxId) => runtime('RemovePodSandbox', { podSandboxId }, emptyAnswerSchema),
    podSandboxStatus: (podSandboxId, verbose = false) => runtime('PodSandboxStatus', { podSandboxId, verbose }, podSandboxStatusAnswerSchema),
    listPodSandbox: (filter) => mapOk(runtime('ListPodSandbox', { filter }, listPodSandboxAnswerSchema), (answer) => answer.items),
    createContainer: (podSandboxId, config, sandboxConfig) =>
      mapOk(runtime('CreateContainer', { podSandboxId, config, sandboxConfig }, createContainerAnswerSchema), (answer) => answer.containerId),
    startContainer: (containerId) => runtime('StartContainer', { containerId }, emptyAnswerSchema),
    // The runtime itself waits up to `timeout` seconds before it kills, so the deadline adds that.
    stopContainer: (containerId, timeoutSeconds) =>
      runtime('StopContainer', { containerId, timeout: timeoutSeconds }, emptyAnswerSchema, timeoutSeconds * 1000 + timeoutMs),
    removeContainer: (containerId) => runtime('RemoveContainer', { containerId }, emptyAnswerSchema),
    listContainers: (filter) => mapOk(runtime('ListContainers', { filter }, listContainersAnswerSchema), (answer) => answer.containers),
    containerStatus: (containerId, verbose = false) => runtime('ContainerStatus', { containerId, verbose }, containerStatusAnswerSchema),
    reopenContainerLog: (containerId) => runtime('ReopenContainerLog', { containerId }, emptyAnswerSchema),
    execSync: async (containerId, cmd, timeoutSeconds) =>
      execTimeoutAsCode(await runtime('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, execSyncAnswerSchema, timeoutSeconds * 1000 + timeoutMs)),
    exec: (containerId, cmd, io) => mapOk(runtime('Exec', { containerId, cmd, ...io }, execAnswerSchema), (answer) => answer.url),
    attach: (containerId, io) => mapOk(runtime('Attach', { containerId, ...io }, execAnswerSchema), (answer) => answer.url),
    status: (verbose = false) => runtime('Status', { verbose }, statusAnswerSchema),
    listImages: (filter) => mapOk(images('ListImages', { filter }, listImagesAnswerSchema), (answer) => answer.images),
    imageStatus: (image, verbose = false) => images('ImageStatus', { image: imageSpec(image), verbose }, imageStatusAnswerSchema),
    pullImage: (image, auth, sandboxConfig) =>
      mapOk(images('PullImage', { image: imageSpec(image), auth, sandboxConfig }, pullImageAnswerSchema, pullTimeoutMs), (answer) => answer.imageRef),
    removeImage: (image) => images('RemoveImage', { image: imageSpec(image) }, emptyAnswerSchema),
    waitReady: (signal, waitMs) =>
      waitForVersion({
        endpoint,
        signal,
        timeoutMs: waitMs,
        attempt: (deadlineMs, attemptSignal) => call('RuntimeService', 'Version', { version: CRI_API_VERSION }, versionAnswerSchema, deadlineMs, attemptSignal),
      }),
    close: () => {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
}

/**
 * containerd answers an ExecSync whose own timeout fired with gRPC Unknown and the text "timeout 1s
 * exceeded: context deadline exceeded"; our deadline says "Deadline exceeded". Read here, where the
 * runtime's answers are interpreted, both become code Timeout, so callers test a code (exec probes).
 */
const EXEC_TIMED_OUT = /timeout .* exceeded|deadline exceeded/i;

function execTimeoutAsCode<T>(result: Result<T>): Result<T> {
  return result.ok || !EXEC_TIMED_OUT.test(result.message) ? result : fail('Timeout', result.message);
}
