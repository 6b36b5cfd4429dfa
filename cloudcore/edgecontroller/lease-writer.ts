import type { KubeObject, OwnerReference } from '../../shared/k8s/types.js';
import { CONNECTED_HUB_ANNOTATION, NODE_LEASE_NAMESPACE, OUTBOX_DEPTH_ANNOTATION, type UpstreamContent } from '../../shared/protocol/index.js';
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';

type LeaseContent = Extract<UpstreamContent, { kind: 'lease' }>;

const NODES = { group: '', resource: 'nodes', namespaced: false };

/**
 * The Lease's annotations after a renewal: the two of R48 set from this renewal (a 1.5 edge sends
 * no depth, so a depth left by a newer edge goes), the others kept.
 */
function renewalAnnotations(current: Record<string, string> | undefined, content: LeaseContent, hubId: string | undefined): Record<string, string> | undefined {
  const next: Record<string, string> = { ...current };
  delete next[CONNECTED_HUB_ANNOTATION];
  delete next[OUTBOX_DEPTH_ANNOTATION];
  if (hubId !== undefined) next[CONNECTED_HUB_ANNOTATION] = hubId;
  if (content.outboxDepth !== undefined) next[OUTBOX_DEPTH_ANNOTATION] = String(content.outboxDepth);
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * Writes a node's Lease in kube-node-lease (protocol.md R23) through the API's create and update
 * paths, as kubelet's node lease controller does: holder, duration and renewTime as sent, owned
 * by the Node so it goes when the Node goes. The same write records this cloudcore's hub id and the
 * edge's outbox depth in annotations (R48), for `outpost status` (docs/status.md).
 */
export async function writeNodeLease(ctx: ApiContext, content: LeaseContent, hubId?: string): Promise<void> {
  const leases = ctx.registry.get('coordination.k8s.io', 'v1', 'leases');
  if (leases === undefined) throw new Error('coordination.k8s.io/v1 leases are not served');
  const spec = { holderIdentity: content.holderIdentity, leaseDurationSeconds: content.leaseDurationSeconds, renewTime: content.renewTime };
  const owner = await nodeOwnerReference(ctx, content.nodeName);
  const existing = await ctx.objects.get(leases, NODE_LEASE_NAMESPACE, content.nodeName);
  if (existing === undefined) {
    const annotations = renewalAnnotations(undefined, content, hubId);
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: content.nodeName, namespace: NODE_LEASE_NAMESPACE, ...(owner ? { ownerReferences: [owner] } : {}), ...(annotations ? { annotations } : {}) },
      spec,
    };
    // When another write created it first, fall through to the update.
    if ((await createIfAbsent(ctx, leases, lease)).created) return;
  }
  await updateObject(ctx, leases, {
    namespace: NODE_LEASE_NAMESPACE,
    name: content.nodeName,
    subresource: undefined,
    dryRun: false,
    mutate: (current) => {
      // Unconditional (no resourceVersion): a concurrent write is retried, not refused.
      const metadata = { ...current.metadata, resourceVersion: '' };
      const annotations = renewalAnnotations(current.metadata.annotations, content, hubId);
      if (annotations === undefined) delete metadata.annotations;
      else metadata.annotations = annotations;
      if (owner !== undefined && (metadata.ownerReferences ?? []).length === 0) metadata.ownerReferences = [owner];
      return { ...current, metadata, spec: { ...(current.spec as object | undefined), ...spec } };
    },
  });
}

async function nodeOwnerReference(ctx: ApiContext, nodeName: string): Promise<OwnerReference | undefined> {
  const node = await ctx.objects.get(NODES, undefined, nodeName);
  if (node?.metadata.uid === undefined) return undefined;
  return { apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid };
}
