import type { KubeObject } from '../../shared/k8s/types.js';
import { defaultNodeLabels, mergedNodeConditions, missesLabels } from './node-report-merge.js';
import { EDGE_ROLE_LABEL, type UpstreamContent } from '../../shared/protocol/index.js';
import { ApiError, createIfAbsent, deleteObject, PreconditionFailed, updateObject, type ApiContext } from '../apiserver/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import { EventRateLimiter, writeEvent } from './event-writer.js';
import { writeNodeLease } from './lease-writer.js';
import { checkReportSize, ObjectTooLarge, withinObjectLimit } from './upstream-limits.js';
import { DeviceRejected, writeDeviceStatus } from './device-status-writer.js';
import { isNotFound } from '../../shared/apimachinery/errors/index.js';

export type UpstreamOutcome = { outcome: 'ack' } | { outcome: 'retry' | 'reject'; message: string; refused?: boolean };

/** Which node the cloud has bound a pod to: the node authorizer's source of truth (R7). */
export interface PodBindings {
  lookupPod(namespace: string, name: string): { uid: string; nodeName: string } | undefined;
}

/** Which node the cloud has attached a Device to (protocol.md R39), from the same index. */
export interface DeviceBindings {
  lookupDevice(namespace: string, name: string): { uid: string; nodeName: string } | undefined;
}

/** A precondition the live object failed: the message can never be written (protocol.md R16). */
class Rejected extends Error {}

/**
 * Writes one upstream message into the API (protocol.md R7, R15–R18), through the same create,
 * update and delete paths as HTTP requests, and says whether the edge should drop it (ack,
 * reject) or send it again (retry).
 */
export async function writeUpstream(ctx: ApiContext, index: PodBindings & DeviceBindings, nodeName: string, content: UpstreamContent, events?: EventRateLimiter, hubId?: string): Promise<UpstreamOutcome> {
  const refusal = authorize(index, nodeName, content);
  if (refusal !== undefined) return refusal;
  if (content.kind === 'event' && events !== undefined && !events.take(nodeName)) {
    return { outcome: 'retry', message: `node ${nodeName} is over its event rate; the series waits at the edge` };
  }
  try {
    // R38: what a node reports is bounded before it touches the store, whatever its kind.
    checkReportSize(`${content.kind} from node ${nodeName}`, content);
    if (content.kind === 'podStatus') await writePodStatus(ctx, nodeName, content);
    else if (content.kind === 'event') await writeEvent(ctx, nodeName, content);
    else if (content.kind === 'podDelete') await deletePod(ctx, content);
    else if (content.kind === 'lease') await writeNodeLease(ctx, content, hubId);
    else if (content.kind === 'nodeStatus') await writeNodeStatus(ctx, nodeName, content.status);
    else await writeDeviceStatus(ctx, nodeName, content);
    return { outcome: 'ack' };
  } catch (err) {
    return outcomeOf(err);
  }
}

/** The node authorizer (R7, R23, R25, R39): its own Node and Lease, and pods and Devices the cloud's index binds to it. */
function authorize(index: PodBindings & DeviceBindings, nodeName: string, content: UpstreamContent): UpstreamOutcome | undefined {
  if (content.kind === 'event') return authorizeEvent(index, nodeName, content);
  if (content.kind === 'deviceStatus') return authorizeDevice(index, nodeName, content);
  if (content.kind === 'nodeStatus' || content.kind === 'lease') {
    if (content.nodeName === nodeName) return undefined;
    const what = content.kind === 'lease' ? 'renew the Lease of' : 'report for';
    return { outcome: 'reject', refused: true, message: `node ${nodeName} may not ${what} node ${content.nodeName}` };
  }
  const pod = index.lookupPod(content.namespace, content.name);
  if (pod === undefined) return { outcome: 'reject', message: `pod ${content.namespace}/${content.name} is not bound to node ${nodeName} (or is gone)` };
  if (pod.nodeName !== nodeName) {
    return { outcome: 'reject', refused: true, message: `pod ${content.namespace}/${content.name} is not bound to node ${nodeName}` };
  }
  if (pod.uid !== content.uid) return { outcome: 'reject', message: `pod ${content.namespace}/${content.name} has uid ${pod.uid}, not ${content.uid}` };
  return undefined;
}

/** R39: a node may report only for a Device the cloud's index attaches to it, under that Device's uid. */
function authorizeDevice(index: DeviceBindings, nodeName: string, content: Extract<UpstreamContent, { kind: 'deviceStatus' }>): UpstreamOutcome | undefined {
  const what = `device ${content.namespace}/${content.name}`;
  const device = index.lookupDevice(content.namespace, content.name);
  if (device === undefined) return { outcome: 'reject', message: `${what} is not attached to node ${nodeName} (or is gone)` };
  if (device.nodeName !== nodeName) return { outcome: 'reject', refused: true, message: `${what} is not attached to node ${nodeName}` };
  if (device.uid !== content.uid) return { outcome: 'reject', message: `${what} has uid ${device.uid}, not ${content.uid}` };
  return undefined;
}

/** A node may report events about itself and about the pods bound to it, nothing else. */
function authorizeEvent(index: PodBindings, nodeName: string, content: Extract<UpstreamContent, { kind: 'event' }>): UpstreamOutcome | undefined {
  const about = content.involvedObject;
  if (about.kind === 'Node') {
    return about.name === nodeName ? undefined : { outcome: 'reject', refused: true, message: `node ${nodeName} may not record events about node ${about.name}` };
  }
  const pod = index.lookupPod(about.namespace ?? '', about.name);
  if (pod === undefined) return { outcome: 'reject', message: `pod ${about.namespace ?? ''}/${about.name} is not bound to node ${nodeName} (or is gone)` };
  if (pod.nodeName !== nodeName) return { outcome: 'reject', refused: true, message: `node ${nodeName} may not record events about pod ${about.namespace ?? ''}/${about.name}` };
  return undefined;
}

function definition(ctx: ApiContext, resource: 'pods' | 'nodes'): ResourceDefinition {
  const def = ctx.registry.get('', 'v1', resource);
  if (def === undefined) throw new Error(`core/v1 ${resource} is not served`);
  return def;
}

async function writePodStatus(ctx: ApiContext, nodeName: string, content: Extract<UpstreamContent, { kind: 'podStatus' }>): Promise<void> {
  await updateObject(ctx, definition(ctx, 'pods'), {
    namespace: content.namespace,
    name: content.name,
    subresource: 'status',
    dryRun: false,
    mutate: (current) => {
      // Checked on the live object, inside the optimistic-concurrency loop (R16).
      if (current.metadata.uid !== content.uid) throw new Rejected(`pod ${content.name} has uid ${current.metadata.uid ?? ''}, not ${content.uid}`);
      if ((current.spec as { nodeName?: string } | undefined)?.nodeName !== nodeName) throw new Rejected(`pod ${content.name} is not bound to ${nodeName}`);
      // Top-level fields the edge reports replace the cloud's; the rest (e.g. qosClass, set by
      // the API at creation and immutable) stay (protocol.md R16).
      return withinObjectLimit({ ...current, status: { ...(current.status as object | undefined), ...content.status } });
    },
  });
}

async function deletePod(ctx: ApiContext, content: Extract<UpstreamContent, { kind: 'podDelete' }>): Promise<void> {
  try {
    await deleteObject(ctx, definition(ctx, 'pods'), content.namespace, content.name, {
      gracePeriodSeconds: 0,
      preconditionUid: content.uid,
      preconditionResourceVersion: undefined,
      propagationPolicy: undefined,
      dryRun: false,
    });
  } catch (err) {
    // Already gone is what the edge asked for.
    if (isNotFound(err)) return;
    throw err;
  }
}

/** Creates the Node on first report and marks it Ready while its edge reports (R17). */
async function writeNodeStatus(ctx: ApiContext, nodeName: string, reported: Record<string, unknown>): Promise<void> {
  const nodes = definition(ctx, 'nodes');
  const now = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const existing = await ctx.objects.get(nodes, undefined, nodeName);
  const labels = defaultNodeLabels(nodeName, reported);
  if (existing === undefined) {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, labels: { [EDGE_ROLE_LABEL]: '', ...labels } },
      spec: {},
    };
    await createIfAbsent(ctx, nodes, node);
  } else if (existing.metadata.labels?.[EDGE_ROLE_LABEL] === undefined || missesLabels(existing.metadata.labels, labels)) {
    await updateObject(ctx, nodes, {
      namespace: undefined,
      name: nodeName,
      subresource: undefined,
      dryRun: false,
      mutate: (current) => ({ ...current, metadata: { ...current.metadata, resourceVersion: '', labels: { ...current.metadata.labels, [EDGE_ROLE_LABEL]: '', ...labels } } }),
    });
  }
  await updateObject(ctx, nodes, {
    namespace: undefined,
    name: nodeName,
    subresource: 'status',
    dryRun: false,
    mutate: (current) => withinObjectLimit({ ...current, status: { ...(current.status as object | undefined), ...reported, conditions: mergedNodeConditions(current, reported.conditions, now) } }),
  });
}

function outcomeOf(err: unknown): UpstreamOutcome {
  if (err instanceof Rejected || err instanceof DeviceRejected || err instanceof ObjectTooLarge) return { outcome: 'reject', message: err.message };
  // A 409 from a uid precondition can never succeed; other conflicts may next time.
  if (err instanceof PreconditionFailed) return { outcome: 'reject', message: err.message };
  if (err instanceof ApiError) {
    const code = err.code;
    if (code === 404 || code === 400 || code === 403 || code === 422) return { outcome: 'reject', message: err.message };
    return { outcome: 'retry', message: err.message };
  }
  return { outcome: 'retry', message: err instanceof Error ? err.message : String(err) };
}
