/**
 * The first half of `outpost up`: the cloud, then each edge joining it with a token of its own
 * (an edge that joined on an earlier run keeps its credentials), each step shown as progress;
 * and, for edges that run pods, the background steps of their runtime (containerd, the local
 * images) as edged reports them through the onEdgedProgress hook (showRuntimeSteps).
 */
import { existsSync } from 'node:fs';
import { edgePaths } from '../../edgecore/config.js';
import type { RunningEdge } from '../../edgecore/main.js';
import type { RunningCloud } from '../../cloudcore/main.js';
import type { LogOptions } from '../../shared/logging.js';
import { startCloud, type CloudFlags } from '../cloud-command.js';
import { startEdgeAgent } from '../edge-command.js';
import { createToken } from '../token-command.js';
import { createEdgeRuntimeSteps, type EdgeRuntimeSteps, type StepWait } from './edge-runtime-steps.js';
import type { Progress, StepOutcome } from './progress.js';

export interface UpFlags extends CloudFlags {
  edges: number;
  metaserverPort?: number;
  mqttPort?: number;
  /** commander's negation of --no-demo. */
  demo: boolean;
  /** commander's negation of --no-pods. */
  pods: boolean;
}

export const DEFAULT_METASERVER_PORT = 10550;
export const DEFAULT_MQTT_PORT = 1883;
/** How long up shows a runtime step before it goes on without it (edged keeps trying). */
const CONTAINERD_WAIT_MS = 120_000;
const IMAGES_WAIT_MS = 240_000;

export interface UpEdge {
  name: string;
  running: RunningEdge;
  steps: EdgeRuntimeSteps;
}

export interface RunningHub {
  cloud: RunningCloud;
  edges: UpEdge[];
  /** Stops the edges (last first), then the cloud; pods and each edge's containerd stay. */
  stop(): Promise<void>;
}

/** Where `outpost up` sends the log lines of its parts: stderr, so that stdout holds the progress and the summary. */
export type UpLogTo = Pick<LogOptions, 'destination' | 'isTerminal'>;

export async function startHub(flags: UpFlags, dataDir: string, progress: Progress, signal: AbortSignal, logTo: UpLogTo = {}): Promise<RunningHub> {
  const cloud = await progress.step('starting the cloud (Kubernetes API, CloudHub, join endpoint)', () => startCloud({ logLevel: 'warn', ...flags, dataDir }, signal, logTo));
  const edges: UpEdge[] = [];
  const stop = async (): Promise<void> => {
    for (const edge of [...edges].reverse()) await edge.running.stop();
    await cloud.stop();
  };
  try {
    for (let i = 1; i <= flags.edges; i++) edges.push(await startUpEdge(flags, dataDir, cloud, i, progress, signal, logTo));
  } catch (err) {
    await stop();
    throw err;
  }
  return { cloud, edges, stop };
}

async function startUpEdge(flags: UpFlags, dataDir: string, cloud: RunningCloud, index: number, progress: Progress, signal: AbortSignal, logTo: UpLogTo): Promise<UpEdge> {
  const name = `edge-${index}`;
  // A node that joined on an earlier run has its credentials; only a new one needs a token.
  const joined = existsSync(edgePaths({ dataDir, nodeName: name }).configFile);
  const steps = createEdgeRuntimeSteps();
  const title = `${name}: ${joined ? 'starting (joined on an earlier run)' : 'joining with a token of its own'}; MetaServer, MQTT broker`;
  const running = await progress.step(title, async () => {
    const token = joined ? undefined : await createToken({ dataDir, ttl: 600, nodeName: name, description: 'outpost up' });
    const base = flags.metaserverPort ?? DEFAULT_METASERVER_PORT;
    const mqttBase = flags.mqttPort ?? DEFAULT_MQTT_PORT;
    return startEdgeAgent(
      {
        nodeName: name,
        dataDir,
        server: cloud.bootstrapAddress,
        // This run's CloudHub: with --hub-port 0 it is not the one an earlier run's join wrote down.
        hubUrl: cloud.hubUrl,
        ...(token === undefined ? {} : { token }),
        metaserverPort: base === 0 ? 0 : base + index - 1,
        // Each edge's embedded broker on its own port, as MetaServer's (docs/device-twins.md § MQTT modes).
        mqttPort: mqttBase === 0 ? 0 : mqttBase + index - 1,
        ...(flags.pods ? {} : { pods: false }),
        logLevel: flags.logLevel ?? 'warn',
        ...(flags.logFormat === undefined ? {} : { logFormat: flags.logFormat }),
      },
      signal,
      { onEdgedProgress: (p) => steps.record(p), logTo },
    );
  });
  return { name, running, steps };
}

function outcomeOf(wait: StepWait, describe: (detail: string | undefined) => string, signal: AbortSignal): StepOutcome {
  if (wait.outcome === 'done') return { result: describe(wait.detail) };
  if (signal.aborted) return { result: 'stopped (Ctrl-C)', warning: true };
  return { result: `not yet${wait.lastError === undefined ? '' : `: ${wait.lastError}`} (the edge keeps trying; see its log)`, warning: true };
}

/**
 * containerd and the images, as edged reports them: started or adopted, built or already there.
 * Shown after startHub returned, so that Ctrl-C during these waits stops the hub cleanly.
 */
export async function showRuntimeSteps(edge: UpEdge, progress: Progress, signal: AbortSignal): Promise<void> {
  const containerd = await progress.step(
    `${edge.name}: starting containerd`,
    (update) => edge.steps.waitFor('containerd', { timeoutMs: CONTAINERD_WAIT_MS, signal, onFailure: (m) => update(`retrying after: ${m}`) }),
    (wait) => outcomeOf(wait, (detail) => `running ${detail ?? ''}`.trim(), signal),
  );
  if (containerd.outcome !== 'done') return;
  await progress.step(
    `${edge.name}: local images (pause, busybox)`,
    (update) => edge.steps.waitFor('images', { timeoutMs: IMAGES_WAIT_MS, signal, onFailure: (m) => update(`retrying after: ${m}`) }),
    (wait) => outcomeOf(wait, (detail) => (detail === 'present' ? 'already there' : 'built and imported'), signal),
  );
}
