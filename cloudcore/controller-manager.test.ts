import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa } from '../certs/index.js';
import { parseConfig } from '../shared/config.js';
import { silentLogger } from '../shared/logging.js';
import { createObject } from './apiserver/index.js';
import { cloudConfigSchema } from './config.js';
import { CONTROLLER_MANAGER_LEASE, createControllerManager } from './controller-manager.js';
import { SharedInformerFactory } from './informers/index.js';
import { memoryApiContext } from '../test/helpers/memory-api.js';
import { waitFor } from '../test/helpers/poll.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function started(leaderElect: boolean) {
  const abort = new AbortController();
  const api = await memoryApiContext(abort.signal);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const manager = createControllerManager({
    config: parseConfig(cloudConfigSchema, { controllers: { leaderElect } }, 'test'),
    api,
    informers,
    logger: silentLogger(),
    ca: await createCa(),
    apiPort: () => 6443,
    moreLeaderModules: () => [],
    exclusiveDatastore: true,
    metricsRegistry: new Registry(),
  });
  await informers.start(abort.signal);
  await manager.start(abort.signal);
  stops.push(async () => {
    await manager.stop();
    await informers.stop();
    abort.abort();
  });
  const namespaces = api.registry.get('', 'v1', 'namespaces')!;
  await createObject(api, namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, { dryRun: false });
  await waitFor(async () => (await api.objects.get(api.registry.get('', 'v1', 'serviceaccounts')!, 'team', 'default')) !== undefined, {
    timeoutMs: 10_000,
    intervalMs: 20,
    description: 'the serviceaccount controller to make team/default',
  });
  return { api, manager };
}

describe('the controller manager', () => {
  it('runs the controllers once it holds the controller-manager Lease', async () => {
    const { api, manager } = await started(true);
    expect(manager.name).toBe('leader-election');
    const lease = await api.objects.get(api.registry.get('coordination.k8s.io', 'v1', 'leases')!, CONTROLLER_MANAGER_LEASE.namespace, CONTROLLER_MANAGER_LEASE.name);
    expect((lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity).toMatch(/_[0-9a-f-]{36}$/);
  });

  it('with leaderElect off, runs them without a Lease', async () => {
    const { api } = await started(false);
    const lease = await api.objects.get(api.registry.get('coordination.k8s.io', 'v1', 'leases')!, CONTROLLER_MANAGER_LEASE.namespace, CONTROLLER_MANAGER_LEASE.name);
    expect(lease).toBeUndefined();
  });
});
