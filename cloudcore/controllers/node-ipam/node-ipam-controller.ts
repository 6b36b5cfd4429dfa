import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { updateObject, type ApiContext } from '../../apiserver/index.js';
import type { SharedInformer } from '../../informers/index.js';
import { parseIpv4Cidr, SubnetRange } from '../../../shared/ipv4-cidr.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';

export interface NodeIpamOptions {
  /** `--cluster-cidr`, as K3s: 10.42.0.0/16. */
  clusterCidr: string;
  /** `--node-cidr-mask-size`: 24 gives each node 254 pod addresses. */
  nodeCidrMaskSize: number;
}

const RETRY_MS = 1000;

/**
 * Gives every Node a pod subnet (`spec.podCIDR`, `spec.podCIDRs`) from the cluster range, as
 * kube-controller-manager's range allocator does. edged builds its CNI bridge on that subnet, so
 * two edges never share one, even on the same machine. A set podCIDR is never changed.
 */
export function createNodeIpamController(ctx: ApiContext, nodes: SharedInformer, options: NodeIpamOptions, logger: Logger): Module {
  const cluster = parseIpv4Cidr(options.clusterCidr);
  if (!cluster.ok) throw new Error(`--cluster-cidr: ${cluster.message}`);
  if (options.nodeCidrMaskSize < cluster.value.prefix || options.nodeCidrMaskSize > 30) {
    throw new Error(`--node-cidr-mask-size ${options.nodeCidrMaskSize} must be between the cluster prefix /${cluster.value.prefix} and 30`);
  }
  const range = new SubnetRange(cluster.value, options.nodeCidrMaskSize);
  // Subnets handed out but not yet seen on a Node by the informer: never given twice.
  const reserved = new Set<number>();
  const pending = new Set<string>();
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  const used = (): Set<number> => {
    const taken = new Set(reserved);
    for (const node of nodes.list()) {
      const index = range.indexOf(podCidrOf(node) ?? '');
      if (index !== undefined) taken.add(index);
    }
    return taken;
  };

  const allocate = async (name: string): Promise<void> => {
    const taken = used();
    let index = 0;
    while (taken.has(index) && index < range.count) index++;
    if (index >= range.count) {
      logger.error({ node: name, clusterCidr: options.clusterCidr }, 'no pod subnet left in the cluster range');
      return;
    }
    reserved.add(index);
    const subnet = range.subnet(index);
    try {
      let assigned = subnet;
      await updateObject(ctx, nodeDefinition(ctx), {
        namespace: undefined,
        name,
        subresource: undefined,
        dryRun: false,
        mutate: (current) => {
          const existing = podCidrOf(current);
          if (existing !== undefined) {
            assigned = existing;
            return current;
          }
          return { ...current, spec: { ...(current.spec as object | undefined), podCIDR: subnet, podCIDRs: [subnet] } };
        },
      });
      if (assigned === subnet) logger.info({ node: name, podCIDR: subnet }, 'pod subnet assigned');
    } finally {
      reserved.delete(index);
    }
  };

  const consider = (node: KubeObject): void => {
    const name = node.metadata.name;
    if (stopped || name === undefined || node.metadata.deletionTimestamp !== undefined || podCidrOf(node) !== undefined || pending.has(name)) return;
    pending.add(name);
    // One node at a time, so two allocations never pick the same free subnet.
    queue = queue
      .then(() => allocate(name))
      .catch((err: unknown) => {
        if (isNotFound(err)) return;
        logger.warn({ err, node: name }, 'pod subnet assignment failed; retrying');
        setTimeout(() => {
          const current = nodes.get(undefined, name);
          if (current !== undefined) consider(current);
        }, RETRY_MS).unref();
      })
      .finally(() => pending.delete(name));
  };
  let queue: Promise<void> = Promise.resolve();

  return {
    name: 'node-ipam-controller',
    async start() {
      // Unsubscribed at stop: a new leader's term builds a new controller (docs/leader-election.md § What runs where).
      unsubscribe = nodes.addHandler((event) => {
        if (event.type !== 'DELETED') consider(event.object);
      });
      await nodes.synced;
      for (const node of nodes.list()) consider(node);
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      await queue;
    },
  };
}

function podCidrOf(node: KubeObject): string | undefined {
  const cidr = (node.spec as { podCIDR?: unknown } | undefined)?.podCIDR;
  return typeof cidr === 'string' && cidr !== '' ? cidr : undefined;
}

function nodeDefinition(ctx: ApiContext) {
  const def = ctx.registry.get('', 'v1', 'nodes');
  if (def === undefined) throw new Error('core/v1 nodes are not served');
  return def;
}
