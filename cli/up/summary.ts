/**
 * What `outpost up` prints once everything is up (docs/quickstart.md § The summary): the
 * kubeconfig, the nodes and pods as `kubectl get nodes,pods -o wide` shows them, the thermostat's
 * twin, and three things to try with this run's real ports and paths.
 */
import { DEMO_DEVICE } from '../demo-thermostat.js';
import { EDGE_AGENT, WEB_APP } from './demo-workloads.js';
import type { TwinReadings } from './wait-for-demo.js';

export interface SummaryInput {
  apiUrl: string;
  kubeconfig: string;
  dataDir: string;
  edges: Array<{ name: string; metaserverUrl: string; mqttUrl: string }>;
  /** The lines of `kubectl get nodes,pods -o wide`. */
  nodesAndPods: string[];
  /** The twin as read, when the demo thermostat runs. */
  twin: TwinReadings | undefined;
  /** The mapper's log file, when it runs. */
  mapperLog: string | undefined;
  /** Whether the demo apps were applied. */
  apps: boolean;
}

function twinLines(twin: TwinReadings, mapperLog: string | undefined): string[] {
  const temps = twin.temperatures;
  const temperature =
    temps.length >= 2 ? `reported ${temps.at(-1)} °C (changing: ${temps.join(' → ')})` : temps.length === 1 ? `reported ${temps[0]} °C (no second report yet)` : 'no report yet';
  return [
    '',
    `Device twin ${DEMO_DEVICE} on edge-1 (examples/thermostat-mapper${mapperLog === undefined ? '' : `, log ${mapperLog}`}):`,
    `  temperature  ${temperature}`,
    `  setpoint     desired ${twin.desiredSetpoint ?? '<none>'}, reported ${twin.reportedSetpoint ?? '<none>'}`,
  ];
}

/** Exactly three things to try; each names this run's kubeconfig, broker and data folder. */
function thingsToTry(input: SummaryInput): string[] {
  const first = input.edges[0];
  const tries: string[] = [];
  if (input.apps) tries.push(`kubectl scale deployment ${WEB_APP} --replicas=3 && kubectl get pods -o wide -w    # one more web pod`);
  else if (first !== undefined) tries.push(`kubectl --server ${first.metaserverUrl} get pods -A    # what the edge holds, even offline`);
  else tries.push(`outpost token create --data-dir ${input.dataDir}    # the command that joins an edge on another machine`);
  tries.push(`outpost status --data-dir ${input.dataDir}    # nodes, pods, twins and the cloud on one screen`);
  if (input.twin !== undefined && first !== undefined) {
    const broker = new URL(first.mqttUrl);
    const secret = (field: string): string => `"$(kubectl get secret ${DEMO_DEVICE}-mqtt -o go-template='{{.data.${field}|base64decode}}')"`;
    tries.push(`mosquitto_sub -h ${broker.hostname} -p ${broker.port} -u ${secret('username')} -P ${secret('password')} -t '$hw/events/device/default/${DEMO_DEVICE}/twin/update/#' -v`);
  } else tries.push(`kubectl logs ds/${EDGE_AGENT}    # the agent on each edge`);
  return tries.map((line, i) => `  ${i + 1}. ${line}`);
}

export function renderSummary(input: SummaryInput): string {
  return [
    '',
    `Outpost is up. The Kubernetes API is at ${input.apiUrl}`,
    '',
    `Kubeconfig: ${input.kubeconfig}`,
    `  export KUBECONFIG=${input.kubeconfig}`,
    ...input.edges.map((e) => `  ${e.name}: MetaServer ${e.metaserverUrl}${e.mqttUrl === '' ? '' : `   MQTT ${e.mqttUrl}`}`),
    '',
    '$ kubectl get nodes,pods -o wide',
    ...input.nodesAndPods,
    ...(input.twin === undefined ? [] : twinLines(input.twin, input.mapperLog)),
    '',
    'Three things to try (after the export above):',
    ...thingsToTry(input),
    '',
    `Press Ctrl-C to stop. Pods keep running, as they do when kubelet stops; \`outpost reset --data-dir ${input.dataDir}\` stops them.`,
    '',
  ].join('\n');
}
