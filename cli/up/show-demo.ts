/**
 * The second half of `outpost up`: each edge's runtime coming up, then apply the demo, wait for its pods and the thermostat's twin,
 * then print the summary. Runs after the hub is up and ends early on Ctrl-C (the signal); a demo
 * that does not come up in time is shown as a warning and the summary still follows.
 */
import { errorMessage } from '../../shared/errors.js';
import { openAdminApi } from '../admin-api-client.js';
import { DEMO_DEVICE, startDemoThermostatSafely, type DemoThermostat } from '../demo-thermostat.js';
import { EDGE_AGENT, ensureDemoWorkloads, WEB_APP } from './demo-workloads.js';
import type { Progress, StepOutcome } from './progress.js';
import { showRuntimeSteps, type RunningHub, type UpFlags, type UpLogTo } from './start-hub.js';
import { renderSummary } from './summary.js';
import { nodesAndPodsText } from './table-text.js';
import { allRunning, waitForChangingTwin, waitForDemoPods, type DemoPodCount, type TwinReadings } from './wait-for-demo.js';

const PODS_WAIT_MS = 300_000;
const TWIN_WAIT_MS = 60_000;
const STOPPED: StepOutcome = { result: 'stopped (Ctrl-C)', warning: true };

export interface ShowDemoContext {
  hub: RunningHub;
  flags: UpFlags;
  dataDir: string;
  progress: Progress;
  signal: AbortSignal;
  /** Told of the mapper as soon as it is started, so that Ctrl-C stops it whatever happens next. */
  onThermostat: (thermostat: DemoThermostat) => void;
  logTo: UpLogTo;
  write: (text: string) => void;
}

function podsOutcome(count: DemoPodCount | undefined): StepOutcome {
  if (count === undefined) return { result: 'no answer from the API', warning: true };
  const result = `${WEB_APP} ${count.web.running}/${count.web.wanted}, ${EDGE_AGENT} ${count.agents.running}/${count.agents.wanted} Running`;
  return allRunning(count) ? { result } : { result, warning: true };
}

function twinOutcome(readings: TwinReadings): StepOutcome {
  const seen = readings.temperatures;
  if (seen.length >= 2) return { result: `${seen.join(' → ')} °C` };
  return { result: seen.length === 1 ? `${seen[0]} °C, not changed yet` : 'no report yet', warning: true };
}

export async function showDemo(ctx: ShowDemoContext): Promise<void> {
  const { hub, flags, progress, signal } = ctx;
  if (flags.pods) for (const edge of hub.edges) if (!signal.aborted) await showRuntimeSteps(edge, progress, signal);
  if (signal.aborted) return;
  const api = await openAdminApi(hub.cloud.paths.kubeconfig);
  const first = hub.edges[0];
  const apps = flags.demo && flags.pods && first !== undefined;
  let thermostat: DemoThermostat | undefined;
  if (flags.demo && first !== undefined) {
    const what = [...(apps ? [`Deployment ${WEB_APP}`, `Service ${WEB_APP}`, `DaemonSet ${EDGE_AGENT}`] : []), `Device ${DEMO_DEVICE} with its mapper`].join(', ');
    thermostat = await progress.step(
      `applying the demo: ${what}`,
      async () => {
        const applied = apps ? await ensureDemoWorkloads(api) : { created: 0, existing: 0 };
        const started = await startDemoThermostatSafely({ kubeconfig: hub.cloud.paths.kubeconfig, brokerUrl: first.running.mqttUrl, dataDir: ctx.dataDir, logLevel: flags.logLevel ?? 'warn', logFormat: flags.logFormat, logTo: ctx.logTo });
        if (started !== undefined) ctx.onThermostat(started);
        return { applied, started };
      },
      ({ applied, started }) => ({
        result: applied.existing > 0 && applied.created === 0 ? 'already there (kept as they are)' : 'created',
        ...(started === undefined ? { warning: true } : {}),
      }),
    ).then((r) => r.started);
  }
  if (apps && !signal.aborted) {
    await progress.step(
      'waiting for the demo pods to run',
      (update) => waitForDemoPods(api, { edges: hub.edges.length, timeoutMs: PODS_WAIT_MS, signal, update }),
      (count) => (signal.aborted ? STOPPED : podsOutcome(count)),
    );
  }
  let twin: TwinReadings | undefined;
  if (thermostat !== undefined && !signal.aborted) {
    twin = await progress.step(
      "waiting for the thermostat's twin to report",
      (update) => waitForChangingTwin(api, { device: DEMO_DEVICE, timeoutMs: TWIN_WAIT_MS, signal, update }),
      (readings) => (signal.aborted ? STOPPED : twinOutcome(readings)),
    );
  }
  if (signal.aborted) return;
  let nodesAndPods: string[];
  try {
    nodesAndPods = await nodesAndPodsText(api);
  } catch (err) {
    nodesAndPods = [`(could not read them: ${errorMessage(err)})`];
  }
  ctx.write(
    renderSummary({
      apiUrl: hub.cloud.apiUrl,
      kubeconfig: hub.cloud.paths.kubeconfig,
      dataDir: ctx.dataDir,
      edges: hub.edges.map((e) => ({ name: e.name, metaserverUrl: e.running.metaserverUrl, mqttUrl: e.running.mqttUrl })),
      nodesAndPods,
      twin,
      mapperLog: thermostat?.logFile,
      apps,
      podsRun: flags.pods && hub.edges.length > 0,
    }),
  );
}
