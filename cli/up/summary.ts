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
  /** Whether the edges run pods (and so leave them running on Ctrl-C). */
  podsRun: boolean;
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

/** Exactly three things to try, the first three that fit this run; each names its real kubeconfig, broker and data folder. */
function thingsToTry(input: SummaryInput): string[] {
  const first = input.edges[0];
  const tries: string[] = [];
  if (input.apps) tries.push(`kubectl scale deployment ${WEB_APP} --replicas=3 && kubectl get pods -o wide -w    # one more web pod`);
  tries.push(`outpost status --data-dir ${input.dataDir}    # nodes, pods, twins and the cloud on one screen`);
  if (input.twin !== undefined && first !== undefined && first.mqttUrl !== '') {
    const broker = new URL(first.mqttUrl);
    const secret = (field: string): string => `"$(kubectl get secret ${DEMO_DEVICE}-mqtt -o go-template='{{.data.${field}|base64decode}}')"`;
    tries.push(`mosquitto_sub -h ${broker.hostname} -p ${broker.port} -u ${secret('username')} -P ${secret('password')} -t '$hw/events/device/default/${DEMO_DEVICE}/twin/update/#' -v`);
  }
  if (first !== undefined) tries.push(`kubectl --server ${first.metaserverUrl} get pods -A    # what the edge holds, even offline`);
  if (input.apps) tries.push(`kubectl logs ds/${EDGE_AGENT}    # the agent on each edge`);
  tries.push(`outpost token create --data-dir ${input.dataDir}    # the command that joins an edge on another machine`);
  tries.push('kubectl get nodes -w    # watch edges join');
  return tries.slice(0, 3).map((line, i) => `  ${i + 1}. ${line}`);
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
    ...(input.nodesAndPods.length > 0 ? input.nodesAndPods : ['No resources found in default namespace.']),
    ...(input.twin === undefined ? [] : twinLines(input.twin, input.mapperLog)),
    '',
    'Three things to try (after the export above):',
    ...thingsToTry(input),
    '',
    input.podsRun
      ? `Press Ctrl-C to stop. Pods keep running, as they do when kubelet stops; \`outpost reset --data-dir ${input.dataDir}\` stops them.`
      : 'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
