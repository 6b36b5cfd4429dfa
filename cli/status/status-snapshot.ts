/**
 * What `outpost status` shows, as plain data (also its `-o json`), built from the API objects by
 * pure functions: nodes with their link (docs/status.md § Nodes), pods per node, devices with
 * their twin sync state, and the cloud's own health.
 */
import { HUB_LEASE_PREFIX, isExpired, type HubLease } from '../../cloudcore/hubaddresses/hub-lease.js';
import { CONNECTED_HUB_ANNOTATION, OUTBOX_DEPTH_ANNOTATION } from '../../shared/protocol/index.js';
import type { DeviceObject, LeaseObject, NodeObject, PodObject } from './status-objects.js';

/** A section the API would not give (forbidden, not served, unreachable) says why instead. */
export type Section<T> = { ok: true; items: T[] } | { ok: false; message: string };

export interface HealthCheckView {
  name: string;
  ok: boolean;
}

export interface HealthView {
  /** ok, failing, or unreachable (no answer at all). */
  state: 'ok' | 'failing' | 'unreachable';
  checks: HealthCheckView[];
  message?: string;
}

export interface HubView {
  id: string;
  url: string;
  /** Renewed within its lease duration, on this machine's clock. */
  live: boolean;
  renewTime?: string;
}

export interface PodView {
  namespace: string;
  name: string;
  /** READY as kubectl shows it: ready containers / containers. */
  ready: string;
  status: string;
  restarts: number;
}

export interface NodeView {
  name: string;
  /** The Ready condition: True → Ready, False → NotReady, Unknown (or none) → Unknown. */
  ready: 'Ready' | 'NotReady' | 'Unknown';
  /** online while Ready; offline otherwise (its edge stopped renewing, or reported not ready). */
  link: 'online' | 'offline';
  /** The hub id of the cloudcore that wrote the node's last Lease renewal (R48). */
  hub?: string;
  /** The last sign of life: the Lease's renewTime, else the Ready heartbeat. */
  lastSeen?: string;
  /** The edge's outbox depth as of its last renewal (R48); absent for a 1.5 edge. */
  outboxDepth?: number;
  version?: string;
  pods: PodView[];
}

export interface DeviceView {
  namespace: string;
  name: string;
  node: string;
  state?: string;
  twinsInSync?: string;
  lastOnlineTime?: string;
}

export interface StatusSnapshot {
  /** When it was gathered (ISO 8601, this machine's clock). */
  at: string;
  cloud: { server: string; readyz: HealthView; livez: HealthView; hubs: Section<HubView>; controllerLeader?: string };
  nodes: Section<NodeView>;
  /** Pods bound to no node (yet), or to a node that has no Node object. */
  unassignedPods: PodView[];
  devices: Section<DeviceView>;
}

/** Parses `/readyz?verbose` text: `[+]name ok` and `[-]name failed: …` lines. */
export function parseHealth(status: number, body: string): HealthView {
  const checks: HealthCheckView[] = [];
  for (const line of body.split('\n')) {
    const m = /^\[([+-])\](\S+)/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) checks.push({ name: m[2], ok: m[1] === '+' });
  }
  return { state: status === 200 ? 'ok' : 'failing', checks };
}

export function podView(pod: PodObject): PodView {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = pod.spec?.containers?.length ?? statuses.length;
  const waiting = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).find((r) => r !== undefined && r !== '');
  const status = pod.metadata.deletionTimestamp !== undefined ? 'Terminating' : (pod.status?.reason ?? waiting ?? pod.status?.phase ?? 'Unknown');
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    ready: `${statuses.filter((s) => s.ready === true).length}/${containers}`,
    status,
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
  };
}

function readyOf(node: NodeObject): NodeView['ready'] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return 'Ready';
  if (ready?.status === 'False') return 'NotReady';
  return 'Unknown';
}

function outboxDepthOf(lease: LeaseObject | undefined): number | undefined {
  const text = lease?.metadata.annotations?.[OUTBOX_DEPTH_ANNOTATION];
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  return Number(text);
}

export function nodeView(node: NodeObject, lease: LeaseObject | undefined, pods: PodView[]): NodeView {
  const ready = readyOf(node);
  const hub = lease?.metadata.annotations?.[CONNECTED_HUB_ANNOTATION];
  const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  const lastSeen = lease?.spec?.renewTime ?? heartbeat;
  const depth = outboxDepthOf(lease);
  const version = node.status?.nodeInfo?.kubeletVersion;
  return {
    name: node.metadata.name,
    ready,
    link: ready === 'Ready' ? 'online' : 'offline',
    ...(hub !== undefined && hub !== '' ? { hub } : {}),
    ...(lastSeen !== undefined ? { lastSeen } : {}),
    ...(depth !== undefined ? { outboxDepth: depth } : {}),
    ...(version !== undefined && version !== '' ? { version } : {}),
    pods,
  };
}

/** A cloudcore from its hub address Lease, read by cloudcore's own reader (docs/failover.md § Publishing). */
export function hubView(lease: HubLease, nowMs: number): HubView {
  return { id: lease.name.slice(HUB_LEASE_PREFIX.length), url: lease.url, live: !isExpired(lease, nowMs), renewTime: new Date(lease.renewTimeMs).toISOString() };
}

export function deviceView(device: DeviceObject): DeviceView {
  const status = device.status;
  return {
    namespace: device.metadata.namespace ?? '',
    name: device.metadata.name,
    node: device.spec?.nodeName ?? '',
    ...(status?.state !== undefined ? { state: status.state } : {}),
    ...(status?.twinsInSync !== undefined ? { twinsInSync: status.twinsInSync } : {}),
    ...(status?.lastOnlineTime !== undefined ? { lastOnlineTime: status.lastOnlineTime } : {}),
  };
}

const byName = (a: { name: string; namespace?: string }, b: { name: string; namespace?: string }): number =>
  `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`);

/** Nodes in name order, each with its Lease and its pods; pods of no known node apart. */
export function groupNodes(nodes: NodeObject[], leases: LeaseObject[], pods: PodObject[]): { nodes: NodeView[]; unassigned: PodView[] } {
  const leaseOf = new Map(leases.map((l) => [l.metadata.name, l]));
  const names = new Set(nodes.map((n) => n.metadata.name));
  const podsOf = new Map<string, PodView[]>();
  const unassigned: PodView[] = [];
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    const view = podView(pod);
    if (nodeName === undefined || !names.has(nodeName)) unassigned.push(view);
    else podsOf.set(nodeName, [...(podsOf.get(nodeName) ?? []), view]);
  }
  const views = [...nodes].sort((a, b) => byName(a.metadata, b.metadata)).map((n) => nodeView(n, leaseOf.get(n.metadata.name), (podsOf.get(n.metadata.name) ?? []).sort(byName)));
  return { nodes: views, unassigned: unassigned.sort(byName) };
}
