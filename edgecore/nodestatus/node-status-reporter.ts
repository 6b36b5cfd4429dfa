import type { Module } from '../../shared/lifecycle.js';
import type { ConnectionSource, ConnectionState } from '../edgehub/index.js';
import type { EdgeStore } from '../metamanager/index.js';
import { DEFAULT_LEASE, queueLeaseRenewal, type LeaseOptions } from './lease-report.js';
import { machineNodeStatus, readMachineFacts } from './node-report.js';
import { pressureConditions, readPressureFigures } from './pressure-conditions.js';

export interface NodeStatusReporterOptions {
  nodeName: string;
  store: EdgeStore;
  connection: ConnectionSource;
  /** Node.status.nodeInfo.containerRuntimeVersion: edged's runtime once known, '' before. */
  containerRuntimeVersion?: () => string;
  /** The edge's data folder: its file system is the node's nodefs for DiskPressure (pressure-conditions.ts). */
  dataDir?: string;
  /** What the node reports about itself; by default the machine's facts (node-report.ts) and pressure conditions. */
  nodeStatus?: () => Record<string, unknown>;
  /** How often a connected edge reports its status again (edgecore config: edgehub.heartbeatSeconds). */
  statusIntervalMs?: number;
  /** Lease renewals while connected (protocol.md R23); kubelet's defaults when absent. */
  lease?: LeaseOptions;
}

export interface NodeStatusReporter extends Module {
  /** Queues Node.status now, out of turn, when something it reports changed (edged met its runtime); offline, the next connect reports it. */
  reportNow(): void;
}

/**
 * kubelet's node-status work on the edge: it queues Node.status (R17) when the connection comes
 * up and then every status interval, and renews the node's Lease every renew interval while
 * connected (R23). Both go through the outbox under one key each (`nodeStatus/<node>`,
 * `lease/<node>`), so reports made while an earlier one is unanswered coalesce (R14); every
 * outbox write wakes the hub's sender, which drains them in order after the inventory (R8).
 */
function machineStatusWithConditions(options: NodeStatusReporterOptions): Record<string, unknown> {
  const status = machineNodeStatus(readMachineFacts(), options.containerRuntimeVersion?.() ?? '');
  if (options.dataDir === undefined) return status;
  return { ...status, conditions: pressureConditions(readPressureFigures(options.dataDir), new Date()) };
}

export function createNodeStatusReporter(options: NodeStatusReporterOptions): NodeStatusReporter {
  const lease = options.lease ?? DEFAULT_LEASE;
  const nodeStatus = options.nodeStatus ?? (() => machineStatusWithConditions(options));
  let timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;

  function reportNodeStatus(): void {
    options.store.reportNodeStatus(options.nodeName, nodeStatus());
  }

  function renewLease(): void {
    queueLeaseRenewal(options.store, options.nodeName, lease.durationSeconds, new Date());
  }

  function stopTimers(): void {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  }

  function onState(state: ConnectionState): void {
    if (state.phase !== 'connected') return stopTimers();
    if (timers.length > 0) return;
    reportNodeStatus();
    renewLease();
    timers = [setInterval(reportNodeStatus, options.statusIntervalMs ?? 30_000), setInterval(renewLease, lease.renewIntervalMs)];
  }

  return {
    name: 'nodestatus',
    reportNow() {
      if (options.connection.state().phase === 'connected') reportNodeStatus();
    },
    async start() {
      if (unsubscribe !== undefined) return;
      unsubscribe = options.connection.onStateChange(onState);
      onState(options.connection.state());
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      stopTimers();
    },
  };
}
