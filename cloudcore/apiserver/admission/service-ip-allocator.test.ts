import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import { createMemoryStore } from '../../storage/index.js';
import type { ApiContext } from '../handlers/context.js';
import { ObjectStore } from '../registry/object-store.js';
import { ResourceRegistry } from '../registry/resource-registry.js';
import { ipToNumber, numberToIp, ServiceIpAllocator } from './service-ip-allocator.js';

async function context(): Promise<ApiContext> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  return { objects: new ObjectStore(store), registry: new ResourceRegistry(), logger: silentLogger(), now: () => new Date(), bookmarkIntervalMs: 1000 };
}

const SERVICES = { group: '', resource: 'services', namespaced: true };
const service = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } });

describe('ServiceIpAllocator', () => {
  it('converts addresses', () => {
    expect(numberToIp(ipToNumber('10.43.2.17') ?? 0)).toBe('10.43.2.17');
    expect(ipToNumber('10.43.2')).toBeUndefined();
  });

  it('gives concurrent creates distinct addresses in the range, never .1', async () => {
    const ctx = await context();
    const allocator = new ServiceIpAllocator('10.43.0.0/29');
    const services = Array.from({ length: 5 }, (_, i) => service(`s${i}`));
    // Allocate and store one after another through the allocator's own serialization.
    await Promise.all(services.map((svc) => allocator.admit(ctx, svc, () => ctx.objects.create(SERVICES, svc))));
    const ips = services.map((s) => (s.spec as unknown as { clusterIP: string }).clusterIP);
    expect(new Set(ips).size).toBe(5);
    for (const ip of ips) expect(ip).toMatch(/^10\.43\.0\.[2-6]$/);
  });

  it('keeps headless and ExternalName services without an address, and refuses a taken one', async () => {
    const ctx = await context();
    const allocator = new ServiceIpAllocator();
    const headless = service('h', { clusterIP: 'None' });
    await allocator.admit(ctx, headless, async () => undefined);
    expect((headless.spec as unknown as { clusterIP: string }).clusterIP).toBe('None');
    const fixed = service('f', { clusterIP: '10.43.0.10' });
    await allocator.admit(ctx, fixed, () => ctx.objects.create(SERVICES, fixed));
    await expect(allocator.admit(ctx, service('g', { clusterIP: '10.43.0.10' }), async () => undefined)).rejects.toThrow(/already allocated/);
    await expect(allocator.admit(ctx, service('o', { clusterIP: '192.168.0.1' }), async () => undefined)).rejects.toThrow(/not in the valid range/);
  });
});
