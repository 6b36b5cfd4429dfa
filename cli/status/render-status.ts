/**
 * The screen of `outpost status` (docs/status.md § The screen): a pure function from a snapshot
 * and the time to text, in kubectl's plain column style, so the same block reads on a terminal,
 * in a log file and in tests.
 */
import { humanDuration } from '../../shared/apimachinery/resources/human-duration.js';
import type { DeviceView, HealthView, NodeView, PodView, StatusSnapshot } from './status-snapshot.js';

export interface RenderOptions {
  /** Pods listed under each node before the rest are counted; the JSON output has them all. */
  maxPodsPerNode?: number;
}

const DEFAULT_MAX_PODS_PER_NODE = 8;

/** kubectl's tabwriter: columns padded to their widest cell, three spaces apart. */
export function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd());
}

function ago(timestamp: string | undefined, nowMs: number): string {
  if (timestamp === undefined) return '-';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '-' : `${humanDuration(nowMs - at)} ago`;
}

function healthText(name: string, health: HealthView): string {
  if (health.state === 'unreachable') return `${name} unreachable`;
  const failing = health.checks.filter((c) => !c.ok).map((c) => c.name);
  const count = health.checks.length;
  if (health.state === 'ok') return `${name} ok${count > 0 ? ` (${count} check${count === 1 ? '' : 's'})` : ''}`;
  return `${name} FAILING${failing.length > 0 ? ` (${failing.join(', ')})` : ''}`;
}

function cloudLines(snapshot: StatusSnapshot, nowMs: number): string[] {
  const { cloud } = snapshot;
  const lines = [`CLOUD ${cloud.server}   ${healthText('ready', cloud.readyz)}, ${healthText('live', cloud.livez)}`];
  if (cloud.readyz.message !== undefined) lines.push(`  ${cloud.readyz.message}`);
  if (!cloud.hubs.ok) lines.push(`  cloudcores: ${cloud.hubs.message}`);
  else {
    const rows = cloud.hubs.items.map((h) => ['  ' + h.id, h.url, h.live ? 'live' : 'expired', `renewed ${ago(h.renewTime, nowMs)}`]);
    lines.push(...columns([['  CLOUDCORE', 'HUB URL', 'STATE', 'LEASE'], ...rows]));
  }
  if (cloud.controllerLeader !== undefined) lines.push(`  controllers run on: ${cloud.controllerLeader}`);
  return lines;
}

function podsText(node: NodeView): string {
  if (node.pods.length === 0) return '0';
  const running = node.pods.filter((p) => p.status === 'Running').length;
  return `${node.pods.length} (${running} running)`;
}

function hubText(node: NodeView): string {
  if (node.hub === undefined) return '-';
  // Offline: where it was connected as of its last renewal (docs/protocol.md R48).
  return node.link === 'online' ? node.hub : `(${node.hub})`;
}

function nodeLines(snapshot: StatusSnapshot, nowMs: number): string[] {
  if (!snapshot.nodes.ok) return [`NODES: ${snapshot.nodes.message}`];
  const nodes = snapshot.nodes.items;
  const ready = nodes.filter((n) => n.ready === 'Ready').length;
  const header = `NODES (${nodes.length}, ${ready} ready)`;
  if (nodes.length === 0) return [header, '  none yet: join an edge with a token from `outpost token create`'];
  const rows = nodes.map((n) => ['  ' + n.name, n.ready, n.link, hubText(n), ago(n.lastSeen, nowMs), n.outboxDepth === undefined ? '-' : String(n.outboxDepth), podsText(n)]);
  return [header, ...columns([['  NAME', 'STATUS', 'LINK', 'CLOUDCORE', 'LAST SEEN', 'OUTBOX', 'PODS'], ...rows])];
}

function podRow(node: string, pod: PodView): string[] {
  return ['  ' + node, `${pod.namespace}/${pod.name}`, pod.ready, pod.status, String(pod.restarts)];
}

function podLines(snapshot: StatusSnapshot, options: RenderOptions): string[] {
  const max = options.maxPodsPerNode ?? DEFAULT_MAX_PODS_PER_NODE;
  const rows: string[][] = [];
  const more: string[] = [];
  for (const node of snapshot.nodes.ok ? snapshot.nodes.items : []) {
    rows.push(...node.pods.slice(0, max).map((p) => podRow(node.name, p)));
    if (node.pods.length > max) more.push(`  … and ${node.pods.length - max} more on ${node.name} (kubectl get pods -A --field-selector spec.nodeName=${node.name})`);
  }
  rows.push(...snapshot.unassignedPods.slice(0, max).map((p) => podRow('(none)', p)));
  if (snapshot.unassignedPods.length > max) more.push(`  … and ${snapshot.unassignedPods.length - max} more on no node`);
  const onNodes = snapshot.nodes.ok ? snapshot.nodes.items.reduce((n, node) => n + node.pods.length, 0) : 0;
  const total = onNodes + snapshot.unassignedPods.length;
  if (total === 0) return ['PODS (0)'];
  return [`PODS (${total})`, ...columns([['  NODE', 'POD', 'READY', 'STATUS', 'RESTARTS'], ...rows]), ...more];
}

function deviceLines(devices: StatusSnapshot['devices'], nowMs: number): string[] {
  if (!devices.ok) return [`DEVICES: ${devices.message}`];
  if (devices.items.length === 0) return ['DEVICES (0)'];
  const rows = devices.items.map((d: DeviceView) => ['  ' + `${d.namespace}/${d.name}`, d.node === '' ? '-' : d.node, d.state ?? '-', d.twinsInSync ?? '-', ago(d.lastOnlineTime, nowMs)]);
  return [`DEVICES (${devices.items.length})`, ...columns([['  DEVICE', 'NODE', 'STATE', 'IN-SYNC', 'LAST ONLINE'], ...rows])];
}

/** One block of text, ending with a newline; `now` is the time ages are counted to. */
export function renderStatus(snapshot: StatusSnapshot, now: Date, options: RenderOptions = {}): string {
  const nowMs = now.getTime();
  const blocks = [
    [`Outpost status at ${snapshot.at}`],
    cloudLines(snapshot, nowMs),
    nodeLines(snapshot, nowMs),
    podLines(snapshot, options),
    deviceLines(snapshot.devices, nowMs),
  ];
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
