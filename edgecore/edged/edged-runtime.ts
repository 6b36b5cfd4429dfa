import { join } from 'node:path';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { AttachRequest, ExecRequest, LogsRequest, PortForwardRequest } from '../../shared/protocol/index.js';
import type { EdgeStore } from '../metamanager/index.js';
import { containerdLayout, createEmbeddedContainerd, podNetworkGateway, type EmbeddedContainerd } from './containerd/index.js';
import { checkPodCidrFree } from './pod-cidr-conflicts.js';
import { createCriClient, type CriClient } from './cri/index.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE, buildLocalImages, importImageArchive } from './images/index.js';
import { createAttachHandler, createExecHandler, type AttachHandler, type ExecHandler, type ExecSink } from './exec/index.js';
import { createPortForwardHandler, type PortForwardHandler } from './portforward/index.js';
import { createLogRotator, createLogsHandler, type LogRotationSettings, type LogRotator, type LogSink, type LogsHandler } from './logs/index.js';
import { createEdged, type Edged, type InClusterApi } from './pods/index.js';
import { readPodCidr, waitForPodCidr } from './pod-cidr.js';
import { podVolumesRoot, type ServiceAccountTokens } from './volumes/index.js';

export interface EdgedRuntimeOptions {
  store: EdgeStore;
  nodeName: string;
  /** `<dataDir>/edges/<node>`: containerd, pod logs and built images live under it. */
  edgeDir: string;
  /** An existing CRI socket (unix:///...); without one, edgecore runs its own containerd. */
  runtimeEndpoint: string | undefined;
  relistPeriodMs: number;
  hostIP: () => string;
  logger: Logger;
  /** Pods' service-account tokens, shared with MetaServer, which accepts them. */
  serviceAccountTokens?: ServiceAccountTokens;
  /** MetaServer as pods' in-cluster clients reach it (docs/service-accounts.md § At the edge). */
  inClusterApi?: () => InClusterApi | undefined;
  /**
   * Called with the pod bridge's gateway address before containerd starts, so MetaServer can
   * serve pod-network pods there (docs/edge-metaserver.md § Access); pods get that address as
   * KUBERNETES_SERVICE_HOST once it resolved. Only with the embedded containerd, whose CNI bridge edged configures.
   */
  servePodNetwork?: (gateway: string) => Promise<void>;
  /** Container log rotation (kubelet's defaults: 10 MiB × 5 files, checked every 10 s). */
  logRotation?: Partial<LogRotationSettings>;
  /** Told as each background start step begins, ends or fails (`outpost up` shows them as progress). */
  onProgress?: (progress: EdgedProgress) => void;
}

/** The background start steps of edged, in order; `ready` is done once the pod workers run. */
export type EdgedStartStep = 'pod-subnet' | 'containerd' | 'images' | 'ready';

export interface EdgedProgress {
  step: EdgedStartStep;
  phase: 'started' | 'done' | 'failed';
  /** images: `built` or `present` when done; the error when failed. */
  detail?: string;
}

export type EdgedRuntimeState = 'idle' | 'waiting-for-pod-cidr' | 'starting-runtime' | 'running' | 'retrying' | 'stopped';

export interface EdgedRuntime extends Module {
  state(): EdgedRuntimeState;
  /** The runtime's `name://version` once met, '' before: Node.status.nodeInfo.containerRuntimeVersion. */
  runtimeVersion(): string;
  /** Serves one `kubectl logs` stream (protocol.md R27); refused with a clear error until edged runs. */
  serveLogs(request: LogsRequest, sink: LogSink): void;
  /** Serves one `kubectl exec` stream (protocol.md R32); refused with a clear error until edged runs. */
  serveExec(request: ExecRequest, sink: ExecSink): void;
  /** Serves one `kubectl attach` stream (protocol.md R43), refused the same way until edged runs. */
  serveAttach(request: AttachRequest, sink: ExecSink): void;
  /** Serves one `kubectl port-forward` connection (protocol.md R44), refused the same way until edged runs. */
  servePortForward(request: PortForwardRequest, sink: ExecSink): void;
}

const RETRY_MS = 5000;

/**
 * edged with its runtime. start() returns at once, because an edge must serve and sync while
 * offline: in the background it waits for the node's pod subnet, starts (or adopts) containerd
 * with a CNI bridge on that subnet, makes sure the pause image is there, then runs the pod
 * workers. A failure is logged and the whole sequence tried again. stop() stops the workers and
 * leaves containerd and every pod running, as kubelet leaves them on SIGTERM.
 */
export function createEdgedRuntime(options: EdgedRuntimeOptions): EdgedRuntime {
  const log = options.logger;
  const abort = new AbortController();
  let state: EdgedRuntimeState = 'idle';
  let containerd: EmbeddedContainerd | undefined;
  let cri: CriClient | undefined;
  let edged: Edged | undefined;
  let logs: LogsHandler | undefined;
  let exec: ExecHandler | undefined;
  let attach: AttachHandler | undefined;
  let portForward: PortForwardHandler | undefined;
  let rotator: LogRotator | undefined;
  let running: Promise<void> | undefined;
  let runtimeVersion = '';
  let podNetworkHost: string | undefined;
  let currentStep: EdgedStartStep = 'pod-subnet';
  const progress = (step: EdgedStartStep, phase: EdgedProgress['phase'], detail?: string): void => {
    currentStep = step;
    options.onProgress?.({ step, phase, ...(detail === undefined ? {} : { detail }) });
  };
  const inClusterApi = (): InClusterApi | undefined => {
    const api = options.inClusterApi?.();
    return api === undefined || podNetworkHost === undefined ? api : { ...api, podNetworkHost };
  };

  async function startOnce(signal: AbortSignal): Promise<void> {
    let endpoint = options.runtimeEndpoint;
    if (endpoint === undefined) {
      state = 'waiting-for-pod-cidr';
      progress('pod-subnet', 'started');
      if (readPodCidr(options.store, options.nodeName) === undefined) log.info('waiting for the cloud to assign this node a pod subnet (spec.podCIDR)');
      const podCidr = await waitForPodCidr(options.store, options.nodeName, signal);
      const free = checkPodCidrFree(podCidr, containerdLayout(options.edgeDir).bridgeName);
      if (!free.ok) throw new Error(free.message);
      const gateway = podNetworkGateway(podCidr);
      if (!gateway.ok) throw new Error(gateway.message);
      if (options.servePodNetwork !== undefined) {
        await options.servePodNetwork(gateway.value);
        podNetworkHost = gateway.value;
      }
      progress('pod-subnet', 'done', podCidr);
      state = 'starting-runtime';
      progress('containerd', 'started');
      containerd = createEmbeddedContainerd({ edgeDir: options.edgeDir, podCidr, pauseImage: PAUSE_IMAGE, logger: log });
      await containerd.start(signal);
      endpoint = containerd.endpoint();
      log.info({ podCidr, endpoint }, 'containerd is running');
    }
    state = 'starting-runtime';
    if (containerd === undefined) progress('containerd', 'started', endpoint);
    cri = createCriClient({ endpoint });
    const version = await cri.waitReady(signal, 60_000);
    if (!version.ok) throw new Error(`the container runtime at ${endpoint} does not answer: ${version.message}`);
    runtimeVersion = `${version.value.runtimeName}://${version.value.runtimeVersion}`;
    progress('containerd', 'done', runtimeVersion);
    if (containerd !== undefined) {
      progress('images', 'started');
      progress('images', 'done', await ensureLocalImages(cri, containerd.layout.socket));
    }
    progress('ready', 'started');
    edged = createEdged({
      store: options.store, cri, nodeName: options.nodeName, hostIP: options.hostIP, logRoot: join(options.edgeDir, 'pods'), logger: log, relistPeriodMs: options.relistPeriodMs,
      volumeRoot: podVolumesRoot(options.edgeDir),
      ...(options.serviceAccountTokens === undefined ? {} : { serviceAccountTokens: options.serviceAccountTokens }),
      ...(options.inClusterApi === undefined ? {} : { inClusterApi }),
    });
    await edged.start(signal);
    logs = createLogsHandler({ cri, logger: log.child({ module: 'logs' }) });
    exec = createExecHandler({ cri, logger: log.child({ module: 'exec' }) });
    attach = createAttachHandler({ cri, logger: log.child({ module: 'attach' }) });
    portForward = createPortForwardHandler({ cri, logger: log.child({ module: 'portforward' }) });
    rotator = createLogRotator({ cri, logger: log, ...options.logRotation });
    await rotator.start(signal);
    state = 'running';
    progress('ready', 'done');
  }

  /** The pause image every sandbox needs, and busybox for demos, built locally when missing. */
  async function ensureLocalImages(client: CriClient, socket: string): Promise<'built' | 'present'> {
    const missing: string[] = [];
    for (const image of [PAUSE_IMAGE, BUSYBOX_IMAGE]) {
      const status = await client.imageStatus(image);
      if (!status.ok) throw new Error(`image status of ${image}: ${status.message}`);
      if (status.value.image === undefined) missing.push(image);
    }
    if (missing.length === 0) return 'present';
    const built = await buildLocalImages(join(options.edgeDir, 'images'));
    if (!built.ok) throw new Error(`building the local images: ${built.message}`);
    for (const archive of [built.value.pause, built.value.busybox]) {
      const imported = await importImageArchive(socket, archive);
      if (!imported.ok) throw new Error(`importing ${archive}: ${imported.message}`);
      log.info({ images: imported.value }, 'local images imported');
    }
    return 'built';
  }

  async function release(): Promise<void> {
    logs = undefined;
    exec = undefined;
    attach = undefined;
    portForward = undefined;
    await rotator?.stop();
    rotator = undefined;
    await edged?.stop();
    edged = undefined;
    cri?.close();
    cri = undefined;
    await containerd?.stop();
    containerd = undefined;
  }

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await startOnce(signal);
        return;
      } catch (err) {
        await release();
        if (signal.aborted) return;
        state = 'retrying';
        progress(currentStep, 'failed', err instanceof Error ? err.message : String(err));
        log.error({ err: err instanceof Error ? err.message : String(err) }, `edged could not start; trying again in ${RETRY_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  }

  return {
    name: 'edged',
    state: () => state,
    runtimeVersion: () => runtimeVersion,
    serveLogs(request, sink) {
      if (logs === undefined || state !== 'running') {
        sink.end({ code: 'Unavailable', message: `edged on node "${options.nodeName}" is not running yet (${state}): try again shortly` });
        return;
      }
      logs(request, sink);
    },
    serveExec(request, sink) {
      if (exec === undefined || state !== 'running') {
        sink.end({ code: 'Unavailable', message: `edged on node "${options.nodeName}" is not running yet (${state}): try again shortly` });
        return;
      }
      exec(request, sink);
    },
    serveAttach(request, sink) {
      if (attach === undefined || state !== 'running') {
        sink.end({ code: 'Unavailable', message: `edged on node "${options.nodeName}" is not running yet (${state}): try again shortly` });
        return;
      }
      attach(request, sink);
    },
    servePortForward(request, sink) {
      if (portForward === undefined || state !== 'running') {
        sink.end({ code: 'Unavailable', message: `edged on node "${options.nodeName}" is not running yet (${state}): try again shortly` });
        return;
      }
      portForward(request, sink);
    },
    async start(signal) {
      signal.addEventListener('abort', () => abort.abort(), { once: true });
      running = run(abort.signal);
    },
    async stop() {
      abort.abort();
      await running;
      await release();
      state = 'stopped';
    },
  };
}
