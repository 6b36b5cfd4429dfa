import { describe, expect, it } from 'vitest';
import { makeEnvironment } from './env-vars.js';
import type { ObjectLookup } from './object-lookup.js';
import { parsePod } from './parse-pod.js';

const lookup: ObjectLookup = {
  configMap: () => undefined,
  secret: () => undefined,
  inClusterService: (network) => ({ host: network === 'host' ? '127.0.0.1' : '10.42.0.1', port: 10550 }),
};

function envOf(hostNetwork: boolean, from: ObjectLookup = lookup): Record<string, string> {
  const parsed = parsePod({ metadata: { name: 'web', namespace: 'shop', uid: 'uid-1' }, spec: { hostNetwork, containers: [{ name: 'c', image: 'i', env: [{ name: 'KUBERNETES_SERVICE_PORT', value: 'mine' }] }] } });
  if (!parsed.ok) throw new Error(parsed.message);
  const container = parsed.value.spec.containers[0];
  if (container === undefined) throw new Error('no container');
  const env = makeEnvironment({ pod: parsed.value, container, lookup: from, machine: { memoryBytes: 1, cpuCount: 1 }, podIP: '10.42.0.7', hostIP: '192.168.1.5' });
  if (!env.ok) throw new Error(env.message);
  return Object.fromEntries(env.value.map((e) => [e.key, e.value]));
}

describe('the API service variables at the edge (docs/service-accounts.md § At the edge)', () => {
  it('hostNetwork containers get KUBERNETES_SERVICE_HOST/PORT naming MetaServer; their own env still wins', () => {
    expect(envOf(true)).toMatchObject({
      KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT_HTTPS: '10550', KUBERNETES_PORT: 'tcp://127.0.0.1:10550',
      KUBERNETES_PORT_10550_TCP_ADDR: '127.0.0.1', KUBERNETES_SERVICE_PORT: 'mine',
    });
  });

  it('pod-network containers get the bridge gateway, where MetaServer\'s pod-network listener is', () => {
    expect(envOf(false)).toMatchObject({ KUBERNETES_SERVICE_HOST: '10.42.0.1', KUBERNETES_PORT: 'tcp://10.42.0.1:10550', KUBERNETES_PORT_10550_TCP_ADDR: '10.42.0.1' });
  });

  it('pod-network containers get none when MetaServer does not serve the pod network (an external runtime)', () => {
    const hostOnly: ObjectLookup = { ...lookup, inClusterService: (network) => (network === 'host' ? { host: '127.0.0.1', port: 10550 } : undefined) };
    expect(envOf(false, hostOnly).KUBERNETES_SERVICE_HOST).toBeUndefined();
  });
});
