import type { KubeObject } from '../../../k8s/types.js';
import { humanDuration, ageSince } from '../human-duration.js';
import { asObj, num, objArray, str, type Obj } from '../../../k8s/object-access.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import type { TableCell, TableSpec } from '../types.js';

function terminatedOf(status: Obj): Obj | undefined {
  return asObj(asObj(status.state)?.terminated);
}

function waitingOf(status: Obj): Obj | undefined {
  return asObj(asObj(status.state)?.waiting);
}

function lastTerminationTime(status: Obj): number | undefined {
  const finishedAt = asObj(asObj(status.lastState)?.terminated)?.finishedAt;
  if (typeof finishedAt !== 'string') return undefined;
  const t = Date.parse(finishedAt);
  return Number.isNaN(t) ? undefined : t;
}

function hasCondition(status: Obj, type: string, reason?: string): boolean {
  return objArray(status.conditions).some((c) => c.type === type && (reason === undefined ? c.status === 'True' : c.reason === reason));
}

function exitText(terminated: Obj, prefix: string): string {
  const reason = str(terminated.reason);
  if (reason !== '') return `${prefix}${reason}`;
  const signal = num(terminated.signal) ?? 0;
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(terminated.exitCode) ?? 0}`;
}

interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

/** The READY, STATUS and RESTARTS cells, following printPod in pkg/printers/internalversion. */
export function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const spec = asObj(pod.spec) ?? {};
  const status = asObj(pod.status) ?? {};
  const phase = str(status.phase);
  let reason = str(status.reason) !== '' ? str(status.reason) : phase;
  if (hasCondition(status, 'PodScheduled', 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = objArray(spec.initContainers);
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  let totalContainers = objArray(spec.containers).length + sidecars.size;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

  let initializing = false;
  const initStatuses = objArray(status.initContainerStatuses);
  for (const [i, c] of initStatuses.entries()) {
    const name = str(c.name);
    restarts += num(c.restartCount) ?? 0;
    lastRestart = later(lastRestart, lastTerminationTime(c));
    if (sidecars.has(name)) {
      sidecarRestarts += num(c.restartCount) ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastTerminationTime(c));
    }
    const terminated = terminatedOf(c);
    const waiting = waitingOf(c);
    if (terminated !== undefined && (num(terminated.exitCode) ?? 0) === 0) continue;
    if (sidecars.has(name) && c.started === true) {
      if (c.ready === true) readyContainers++;
      continue;
    }
    if (terminated !== undefined) reason = exitText(terminated, 'Init:');
    else if (waiting !== undefined && str(waiting.reason) !== '' && str(waiting.reason) !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objArray(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i] ?? {};
      restarts += num(c.restartCount) ?? 0;
      lastRestart = later(lastRestart, lastTerminationTime(c));
      const waiting = waitingOf(c);
      const terminated = terminatedOf(c);
      if (waiting !== undefined && str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (terminated !== undefined) reason = exitText(terminated, '');
      else if (c.ready === true && asObj(asObj(c.state)?.running) !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last container completed while another still runs shows Running (or NotReady).
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = typeof pod.metadata.deletionTimestamp === 'string' && pod.metadata.deletionTimestamp !== '';
  if (deleting && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  if (totalContainers < 0) totalContainers = 0;
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsText };
}

function readinessGates(spec: Obj, status: Obj): string {
  const gates = objArray(spec.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = objArray(status.conditions);
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

export const podTable: TableSpec = {
  columns: [
    nameColumn(),
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    column('IP', 'The IP address assigned to the pod.', { priority: 1 }),
    column('Node', 'The name of the node the pod is bound to.', { priority: 1 }),
    column('Nominated Node', 'The node the scheduler nominated for this pod to preempt others.', { priority: 1 }),
    column('Readiness Gates', 'The readiness gates of the pod that are True, of all of them.', { priority: 1 }),
  ],
  cells(pod: KubeObject, now: Date): TableCell[] {
    const spec = asObj(pod.spec) ?? {};
    const status = asObj(pod.status) ?? {};
    const summary = summarizePod(pod, now);
    const podIP = str(objArray(status.podIPs)[0]?.ip) || str(status.podIP) || '<none>';
    return [
      pod.metadata.name ?? '',
      summary.ready,
      summary.reason,
      summary.restarts,
      ageSince(pod.metadata.creationTimestamp, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(spec, status),
    ];
  },
};
