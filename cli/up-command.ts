import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { edgePaths } from '../edgecore/config.js';
import type { RunningEdge } from '../edgecore/main.js';
import { addCloudFlags, startCloud, type CloudFlags } from './cloud-command.js';
import { parsePort } from './port-flag.js';
import { startEdgeAgent } from './edge-command.js';
import { runUntilSignal } from './run-until-signal.js';
import { createToken } from './token-command.js';
import { DEMO_POD, DEMO_PORT, ensureDemoPod } from './demo-pod.js';
import { demoThermostatSummary, startDemoThermostatSafely, type DemoThermostat } from './demo-thermostat.js';

interface UpFlags extends CloudFlags {
  edges: number;
  metaserverPort?: number;
  mqttPort?: number;
  /** commander's negation of --no-demo. */
  demo: boolean;
  /** commander's negation of --no-pods. */
  pods: boolean;
}

const DEFAULT_METASERVER_PORT = 10550;
const DEFAULT_MQTT_PORT = 1883;

function edgeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50) throw new InvalidArgumentError('must be a whole number from 0 to 50');
  return n;
}

/**
 * `outpost up`: the embedded hub on one machine, what `npm start` runs: the cloud, then edges
 * that join it with tokens of their own, each with its data under `<data>/edges/<name>/`.
 * Each edge runs its pods through its own containerd; the first one gets a demo pod. Ctrl-C
 * stops the edges, then the cloud, and leaves pods running (`outpost reset` stops them).
 */
export function upCommand(): Command {
  const up = addCloudFlags(new Command('up').description('run the whole hub on this machine: the cloud and its edges (Ctrl-C stops it)'))
    .option('--edges <n>', 'how many edge nodes to run beside the cloud (default 1)', edgeCount, 1)
    .option('--metaserver-port <port>', 'MetaServer port of the first edge; the next edges take the ports after it (default 10550; 0 picks free ones)', parsePort)
    .option('--mqtt-port <port>', 'embedded MQTT broker port of the first edge; the next edges take the ports after it (default 1883; 0 picks free ones)', parsePort)
    .option('--no-demo', `do not create the demo pod ${DEMO_POD} and the demo thermostat on the first edge`)
    .option('--no-pods', 'edges run no pods (no containerd): metadata sync and MetaServer only');
  up.action(async (flags: UpFlags) => {
    await runUntilSignal(async (signal) => {
      const dataDir = flags.dataDir ?? '.outpost';
      const cloud = await startCloud({ logLevel: 'warn', ...flags, dataDir }, signal);
      const edges: RunningEdge[] = [];
      let thermostat: DemoThermostat | undefined;
      const stopAll = async (): Promise<void> => {
        await thermostat?.stop();
        for (const edge of edges.reverse()) await edge.stop();
        await cloud.stop();
      };
      try {
        for (let i = 1; i <= flags.edges; i++) edges.push(await startUpEdge(flags, dataDir, cloud.bootstrapAddress, i, signal));
      } catch (err) {
        await stopAll();
        throw err;
      }
      const demo = flags.demo && flags.pods && edges.length > 0 ? await ensureDemoPod(cloud.paths.kubeconfig, 'edge-1') : undefined;
      // The demo thermostat: its Device on edge-1 and the example mapper against edge-1's broker.
      if (flags.demo && edges[0] !== undefined) thermostat = await startDemoThermostatSafely({ kubeconfig: cloud.paths.kubeconfig, brokerUrl: edges[0].mqttUrl, dataDir, logLevel: flags.logLevel ?? 'warn', logFormat: flags.logFormat });
      process.stdout.write(summary(cloud.apiUrl, cloud.paths.kubeconfig, edges, demo !== undefined, dataDir, thermostat));
      return stopAll;
    });
  });
  return up;
}

async function startUpEdge(flags: UpFlags, dataDir: string, bootstrap: string, index: number, signal: AbortSignal): Promise<RunningEdge> {
  const nodeName = `edge-${index}`;
  // A node that joined on an earlier run has its credentials; only a new one needs a token.
  const joined = existsSync(edgePaths({ dataDir, nodeName }).configFile);
  const token = joined ? undefined : await createToken({ dataDir, ttl: 600, nodeName, description: 'outpost up' });
  const base = flags.metaserverPort ?? DEFAULT_METASERVER_PORT;
  const mqttBase = flags.mqttPort ?? DEFAULT_MQTT_PORT;
  return startEdgeAgent(
    {
      nodeName,
      dataDir,
      server: bootstrap,
      ...(token === undefined ? {} : { token }),
      metaserverPort: base === 0 ? 0 : base + index - 1,
      // Each edge's embedded broker on its own port, as MetaServer's (docs/device-twins.md § MQTT modes).
      mqttPort: mqttBase === 0 ? 0 : mqttBase + index - 1,
      ...(flags.pods ? {} : { pods: false }),
      logLevel: flags.logLevel ?? 'warn',
      logFormat: flags.logFormat,
    },
    signal,
  );
}

function summary(apiUrl: string, kubeconfig: string, edges: RunningEdge[], demo: boolean, dataDir: string, thermostat: DemoThermostat | undefined): string {
  const edgeLines = edges.map((edge, i) => `  edge-${i + 1}     MetaServer ${edge.metaserverUrl}   MQTT ${edge.mqttUrl}   data ${edge.paths.edgeDir}`);
  return [
    '',
    `Outpost is up. The Kubernetes API is at ${apiUrl}`,
    ...(edges.length > 0 ? ['', 'Edge nodes (joined with their own tokens):', ...edgeLines] : []),
    '',
    'Next steps:',
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl get nodes',
    '  kubectl get devicemodels,devices -A',
    ...(edges[0] !== undefined ? [`  kubectl --server ${edges[0].metaserverUrl} get pods -A    # what the edge holds, even offline`] : []),
    ...(demo
      ? [
          '',
          `The demo pod ${DEMO_POD} runs on edge-1 (each edge starts its own containerd and builds its images first):`,
          `  kubectl get pod ${DEMO_POD} -o wide`,
          `  curl http://$(kubectl get pod ${DEMO_POD} -o jsonpath='{.status.podIP}'):${DEMO_PORT}/`,
        ]
      : []),
    ...(thermostat === undefined ? [] : demoThermostatSummary(thermostat)),
    '',
    `Press Ctrl-C to stop. Pods keep running, as they do when kubelet stops; \`outpost reset --data-dir ${dataDir}\` stops them.`,
    '',
  ].join('\n');
}
