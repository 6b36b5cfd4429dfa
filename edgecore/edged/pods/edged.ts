/**
 * Edged (docs/architecture.md § Conventions, Edged): runs the pods edge.db holds through CRI, as kubelet does. The pod
 * manager is edge.db itself (every Pod at start, then each commit's changes), one worker per pod
 * serializes its syncs, and a periodic relist of the runtime (PLEG) notices what changes there.
 * Stopping edged leaves the pods running; a new edged adopts them (same spec hash → kept).
 */
import { dirname, join } from 'node:path';
import type { Module } from '../../../shared/lifecycle.js';
import { SERVICE_ACCOUNT_TOKEN_KIND } from '../../../shared/protocol/index.js';
import type { Logger } from '../../../shared/logging.js';
import type { EdgeStore, ObjectChange } from '../../metamanager/index.js';
import type { CriClient } from '../cri/index.js';
import { createProberManager, realRunners, type CheckRunners, type ProbeClock } from '../probes/index.js';
import { createVolumeManager, podVolumesReference, type ServiceAccountTokens } from '../volumes/index.js';
import { Backoff, DEFAULT_BACKOFF, type BackoffSettings } from './backoff.js';
import { Pleg } from './pleg.js';
import { PodWorkers } from './pod-workers.js';
import { syncPod } from './pod-sync.js';
import { statusEvents } from './status-events.js';
import { StatusReporter, type StatusSink } from './status-reporter.js';
import type { PodStatusJson } from './status-types.js';
import { storeLookup, type InClusterApi } from './store-lookup.js';
import type { SyncContext } from './sync-context.js';

export interface EdgedOptions {
  store: EdgeStore;
  cri: CriClient;
  nodeName: string;
  hostIP: () => string;
  /** Folder under which each pod's container logs go (kubelet's /var/log/pods). */
  logRoot: string;
  logger: Logger;
  /** How often the runtime is relisted (default 1000 ms, kubelet's relistPeriod). */
  relistPeriodMs?: number;
  now?: () => number;
  /** Restart and pull back-off (default 10 s doubling to 5 min). */
  backoff?: BackoffSettings;
  /** Folder of the pods' volumes, `<volumeRoot>/<podUid>/volumes/...` (default: `pod-volumes` beside logRoot). */
  volumeRoot?: string;
  /** Issues the tokens of serviceAccountToken projections, which MetaServer recognizes. */
  serviceAccountTokens?: ServiceAccountTokens;
  /** MetaServer as pods' in-cluster clients reach it (env, kube-root-ca.crt), once it listens. */
  inClusterApi?: () => InClusterApi | undefined;
  /** The prober's clock and how its checks reach containers (tests inject fakes). */
  probeClock?: ProbeClock;
  checkRunners?: CheckRunners;
}

export interface Edged extends Module {
  /** Asks for a sync of one pod now (tests, and callers that know something changed). */
  syncPod(uid: string): void;
}

const DEFAULT_RELIST_PERIOD_MS = 1000;

export function createEdged(options: EdgedOptions): Edged {
  const logger = options.logger.child({ module: 'edged' });
  const now = options.now ?? Date.now;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const relistPeriodMs = options.relistPeriodMs ?? DEFAULT_RELIST_PERIOD_MS;
  const { store, cri } = options;
  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let unsubscribe: (() => void) | undefined;
  let relistTimer: NodeJS.Timeout | undefined;
  let relisting: Promise<void> | undefined;
  let relistHealthy = true;
  const pleg = new Pleg(cri);
  // Each report goes up, with the events its changes imply (Started, BackOff, Failed, ...).
  const reportStatus: StatusSink = (pod, status, previous) => {
    store.reportPodStatus(pod, status);
    for (const event of statusEvents(previous, status as unknown as PodStatusJson)) {
      store.recordEvent({ about: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid, fieldPath: event.fieldPath }, type: event.type, reason: event.reason, message: event.message, component: 'kubelet' });
    }
  };
  const lookup = storeLookup(store, options.inClusterApi);
  const volumes = createVolumeManager({
    root: options.volumeRoot ?? join(dirname(options.logRoot), 'pod-volumes'),
    lookup,
    ...(options.serviceAccountTokens === undefined ? {} : { tokens: options.serviceAccountTokens }),
  });
  const checkRunners = options.checkRunners ?? realRunners((id, cmd, timeout) => cri.execSync(id, cmd, timeout));
  // A probe result that changes asks for a sync of its pod: the status (ready), or a kill (liveness).
  const probes = createProberManager({
    runners: checkRunners,
    ...(options.probeClock === undefined ? {} : { clock: options.probeClock }),
    onChange: (uid) => workers.request(uid),
    onEvent: (e) => store.recordEvent({ about: { kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name, uid: e.pod.uid, fieldPath: e.fieldPath }, type: e.type, reason: e.reason, message: e.message, component: 'kubelet' }),
  });
  const context: SyncContext = {
    cri, store, logger, lookup, volumes, nodeName: options.nodeName, hostIP: options.hostIP, logRoot: options.logRoot,
    runtimeName: 'containerd', now,
    restartBackoff: new Backoff(backoff, now), pullBackoff: new Backoff(backoff, now),
    failures: new Map(), reporter: new StatusReporter(reportStatus),
    confirmed: new Set(), retryMs: backoff.initialMs, stopping: () => state !== 'running',
    probes, checkRunners, reportedUnsupported: new Set(),
  };
  const workers = new PodWorkers((uid) => syncPod(context, uid), (uid, message) => logger.error({ uid, message }, 'pod sync failed'), backoff.initialMs);

  function onStoreChange(changes: readonly ObjectChange[]): void {
    for (const change of changes) {
      if (change.kind === 'Pod') workers.request(change.uid);
      // The pods whose volumes read the object: their next sync rewrites the files (env stays as created).
      else if (change.kind === 'ConfigMap' || change.kind === 'Secret') {
        const kind = change.kind;
        for (const pod of store.objects.list('Pod', change.namespace)) if (podVolumesReference(pod.object, kind, change.name)) workers.request(pod.uid);
      } else if (change.kind === SERVICE_ACCOUNT_TOKEN_KIND && change.type !== 'DELETED') {
        // A new pod-bound token from the cloud (protocol.md R40): the pod's next sync writes it into its volume.
        const podUid = (change.object as { spec?: { podUid?: unknown } }).spec?.podUid;
        if (typeof podUid === 'string') workers.request(podUid);
      }
    }
  }

  /** Volumes of pods neither in edge.db nor in the runtime (removed while edged was down). */
  async function sweepVolumes(present: ReadonlySet<string>): Promise<void> {
    const keep = new Set([...present, ...store.objects.list('Pod').map((pod) => pod.uid)]);
    const swept = await volumes.sweep(keep);
    if (!swept.ok) logger.warn({ message: swept.message }, 'could not remove the volumes of pods that are gone');
    else if (swept.value.length > 0) logger.info({ pods: swept.value }, 'removed the volumes of pods that are gone');
  }

  /** PLEG: pods whose runtime state changed, and what the runtime holds for pods edge.db lacks (GC). */
  async function relist(): Promise<ReadonlySet<string> | undefined> {
    const result = await pleg.relist();
    if (!result.ok) {
      // Once per outage: the runtime may be restarting, and relists come every second.
      if (relistHealthy) logger.warn({ message: result.message }, 'relist of the runtime failed');
      relistHealthy = false;
      return undefined;
    }
    if (!relistHealthy) logger.info('relist of the runtime works again');
    relistHealthy = true;
    for (const uid of result.value.changed) workers.request(uid);
    for (const uid of result.value.present) {
      const stored = store.objects.byUid(uid);
      if ((stored === undefined || stored.kind !== 'Pod') && !workers.busy(uid)) workers.request(uid);
    }
    return result.value.present;
  }

  function scheduleRelist(): void {
    if (state !== 'running') return;
    relistTimer = setTimeout(() => {
      relisting = relist().then(() => undefined).finally(() => {
        relisting = undefined;
        scheduleRelist();
      });
    }, relistPeriodMs);
  }

  return {
    name: 'edged',
    async start(signal: AbortSignal): Promise<void> {
      if (state !== 'idle') throw new Error(`edged cannot start: it is ${state}`);
      signal.throwIfAborted();
      const version = await cri.version();
      if (!version.ok) throw new Error(`edged: the container runtime does not answer: ${version.message}`);
      context.runtimeName = version.value.runtimeName;
      state = 'running';
      unsubscribe = store.onChange(onStoreChange);
      for (const pod of store.objects.list('Pod')) workers.request(pod.uid);
      const present = await relist();
      // Only once the runtime answered: a pod it still runs keeps its volumes until edged removes it.
      if (present !== undefined) await sweepVolumes(present);
      scheduleRelist();
      logger.info({ runtime: `${version.value.runtimeName} ${version.value.runtimeVersion}`, relistPeriodMs }, 'edged started');
    },
    async stop(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      unsubscribe?.();
      if (relistTimer !== undefined) clearTimeout(relistTimer);
      await relisting;
      probes.stop();
      // The pods keep running (kubelet leaves them on SIGTERM); only the syncs in flight are awaited.
      await workers.stop();
    },
    syncPod: (uid) => workers.request(uid),
  };
}
