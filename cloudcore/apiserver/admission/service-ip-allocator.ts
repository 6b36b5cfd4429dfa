import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { invalid } from '../../../shared/k8s/field-errors.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ApiContext } from '../handlers/context.js';

const SERVICES = { group: '', resource: 'services', namespaced: true };

/**
 * Gives each new Service a cluster IP from the service CIDR (K3s' default 10.43.0.0/16), as the
 * apiserver's service IP allocator does. Used addresses are read from the stored Services, and
 * allocations run one at a time so that two concurrent creates never get the same address.
 */
export class ServiceIpAllocator {
  private readonly base: number;
  private readonly size: number;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(cidr = '10.43.0.0/16') {
    const [address, prefix] = cidr.split('/');
    const bits = Number(prefix);
    const base = ipToNumber(address ?? '');
    if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`bad service CIDR ${cidr}`);
    this.size = 2 ** (32 - bits);
    this.base = base - (base % this.size);
  }

  /** The first address of the range, which only the `kubernetes` Service holds (docs/services.md § The kubernetes Service). */
  firstAddress(): string {
    return numberToIp(this.base + 1);
  }

  /**
   * Fills spec.clusterIP(s) of a Service about to be created (unless headless or ExternalName),
   * then runs `commit` (the store write) before the next allocation may look at what is used.
   */
  admit<T>(ctx: ApiContext, service: KubeObject, commit: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      await this.allocate(ctx, service);
      return commit();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async allocate(ctx: ApiContext, service: KubeObject): Promise<void> {
    const spec = isRecord(service.spec) ? service.spec : {};
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
    const used = await this.usedAddresses(ctx);
    const requested = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
    if (requested !== undefined) {
      const n = ipToNumber(requested);
      if (n === undefined || n <= this.base || n >= this.base + this.size - 1) {
        throw errors.invalid('', 'Service', service.metadata.name ?? '', [invalid('spec.clusterIPs', [requested], 'failed to allocate IP: the provided IP is not in the valid range')]);
      }
      if (used.has(n) && !(n === this.base + 1 && isKubernetesService(service))) {
        throw errors.invalid('', 'Service', service.metadata.name ?? '', [invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: provided IP is already allocated`)]);
      }
      spec.clusterIPs = [requested];
      return;
    }
    // .1 is the API's own address in Kubernetes; start looking at a random point after it.
    const usable = this.size - 3;
    const start = Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const candidate = this.base + 2 + ((start + i) % usable);
      if (used.has(candidate)) continue;
      spec.clusterIP = numberToIp(candidate);
      spec.clusterIPs = [spec.clusterIP];
      return;
    }
    throw errors.internal('failed to allocate a service IP: the range is full');
  }

  private async usedAddresses(ctx: ApiContext): Promise<Set<number>> {
    const listed = await ctx.objects.list(SERVICES, undefined);
    if (!listed.ok) throw errors.hiddenInternal(listed.message);
    const used = new Set<number>([this.base + 1]);
    for (const svc of listed.value.items) {
      const ip = isRecord(svc.spec) ? svc.spec.clusterIP : undefined;
      const n = typeof ip === 'string' ? ipToNumber(ip) : undefined;
      if (n !== undefined) used.add(n);
    }
    return used;
  }
}

/** default/kubernetes, the API's own Service, which alone may take the range's first address. */
function isKubernetesService(service: KubeObject): boolean {
  return service.metadata.namespace === 'default' && service.metadata.name === 'kubernetes';
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n;
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
