import type { EdgeStore } from '../metamanager/index.js';

/**
 * The node's pod subnet, `spec.podCIDR` of its own Node as the cloud assigned it (node IPAM). The
 * Node travels to the edge like every object it needs, so after the first connect the subnet is in
 * edge.db and an offline restart finds it there. Resolves as soon as it is known.
 */
export function readPodCidr(store: EdgeStore, nodeName: string): string | undefined {
  const spec = store.objects.get('Node', '', nodeName)?.object.spec as { podCIDR?: unknown } | undefined;
  return typeof spec?.podCIDR === 'string' && spec.podCIDR !== '' ? spec.podCIDR : undefined;
}

export function waitForPodCidr(store: EdgeStore, nodeName: string, signal: AbortSignal): Promise<string> {
  const read = (): string | undefined => readPodCidr(store, nodeName);
  const known = read();
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve, reject) => {
    const done = (): void => {
      unsubscribe();
      signal.removeEventListener('abort', aborted);
    };
    const aborted = (): void => {
      done();
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const unsubscribe = store.onChange((changes) => {
      if (!changes.some((c) => c.kind === 'Node' && c.name === nodeName)) return;
      const cidr = read();
      if (cidr === undefined) return;
      done();
      resolve(cidr);
    });
    signal.addEventListener('abort', aborted, { once: true });
  });
}
