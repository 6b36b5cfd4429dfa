/**
 * Reads everything `outpost status` shows through the API (never state.db, DESIGN § Processes):
 * one request per kind, all at once. A kind the API refuses (RBAC, a CRD not served) or an API
 * that does not answer becomes a section that says why; the rest of the screen still shows.
 */
import { errorMessage } from '../../shared/errors.js';
import { NODE_LEASE_NAMESPACE } from '../../shared/protocol/index.js';
import { HUB_COMPONENT, HUB_COMPONENT_LABEL, HUB_LEASE_NAMESPACE, readHubLease, type HubLease } from '../../cloudcore/hubaddresses/hub-lease.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { statusMessage, type AdminApi } from '../admin-api-client.js';
import { deviceSchema, leaseSchema, nodeSchema, parseItems, podSchema } from './status-objects.js';
import { deviceView, groupNodes, hubView, parseHealth, type HealthView, type HubView, type NodeView, type Section, type StatusSnapshot } from './status-snapshot.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces';
/** kube-controller-manager's lock under our name (docs/leader-election.md § The Lease). */
const CONTROLLER_MANAGER_LEASE = `${LEASES}/kube-system/leases/outpost-controller-manager`;

type Answer = { ok: true; body: unknown } | { ok: false; message: string };

async function get(api: AdminApi, path: string): Promise<Answer> {
  try {
    const res = await api.call('GET', path);
    if (res.status === 200) return { ok: true, body: res.body };
    return { ok: false, message: `${res.status}: ${statusMessage(res.body)}` };
  } catch (err) {
    // Unreachable (OutpostError Unavailable) or a timeout: the section says so.
    return { ok: false, message: errorMessage(err) };
  }
}

async function health(api: AdminApi, endpoint: 'readyz' | 'livez'): Promise<HealthView> {
  try {
    const res = await api.call('GET', `/${endpoint}?verbose`);
    return parseHealth(res.status, typeof res.body === 'string' ? res.body : '');
  } catch (err) {
    return { state: 'unreachable', checks: [], message: errorMessage(err) };
  }
}

function items<T>(answer: Answer, map: (body: unknown) => T[]): Section<T> {
  return answer.ok ? { ok: true, items: map(answer.body) } : answer;
}

/** Hub address Leases as cloudcore reads them; readHubLease validates each (a trust boundary). */
function hubLeaseItems(body: unknown): HubLease[] {
  const list = body as { items?: unknown } | undefined;
  const raw = Array.isArray(list?.items) ? (list.items as unknown[]) : [];
  return raw.flatMap((item) => (typeof item === 'object' && item !== null ? (readHubLease(item as KubeObject) ?? []) : []));
}

function holderOf(answer: Answer): string | undefined {
  if (!answer.ok) return undefined;
  const lease = leaseSchema.safeParse(answer.body);
  const holder = lease.success ? lease.data.spec?.holderIdentity : undefined;
  return holder === undefined || holder === '' ? undefined : holder;
}

export async function gatherStatus(api: AdminApi, now: () => Date = () => new Date()): Promise<StatusSnapshot> {
  const hubSelector = encodeURIComponent(`${HUB_COMPONENT_LABEL}=${HUB_COMPONENT}`);
  const [readyz, livez, nodes, nodeLeases, hubLeases, leaderLease, pods, devices] = await Promise.all([
    health(api, 'readyz'),
    health(api, 'livez'),
    get(api, '/api/v1/nodes'),
    get(api, `${LEASES}/${NODE_LEASE_NAMESPACE}/leases`),
    get(api, `${LEASES}/${HUB_LEASE_NAMESPACE}/leases?labelSelector=${hubSelector}`),
    get(api, CONTROLLER_MANAGER_LEASE),
    get(api, '/api/v1/pods'),
    get(api, '/apis/devices.kubeedge.io/v1beta1/devices'),
  ]);
  const at = now();
  const hubs = items(hubLeases, (body) => hubLeaseItems(body).map((l) => hubView(l, at.getTime())));
  const leader = holderOf(leaderLease);
  let nodeSection: Section<NodeView>;
  let unassignedPods: StatusSnapshot['unassignedPods'] = [];
  if (!nodes.ok) nodeSection = nodes;
  else {
    // Without leases or pods the nodes still show; their columns are then empty.
    const grouped = groupNodes(
      parseItems(nodeSchema, nodes.body).items,
      nodeLeases.ok ? parseItems(leaseSchema, nodeLeases.body).items : [],
      pods.ok ? parseItems(podSchema, pods.body).items : [],
    );
    nodeSection = { ok: true, items: grouped.nodes };
    unassignedPods = grouped.unassigned;
  }
  return {
    at: at.toISOString(),
    cloud: { server: api.server, readyz, livez, hubs: sortHubs(hubs), ...(leader !== undefined ? { controllerLeader: leader } : {}) },
    nodes: nodeSection,
    unassignedPods,
    devices: items(devices, (body) => parseItems(deviceSchema, body).items.map(deviceView)),
  };
}

function sortHubs(hubs: Section<HubView>): Section<HubView> {
  return hubs.ok ? { ok: true, items: [...hubs.items].sort((a, b) => a.url.localeCompare(b.url)) } : hubs;
}
