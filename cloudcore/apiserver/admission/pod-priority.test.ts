import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { ensureSystemNamespaces } from '../../bootstrap-namespaces.js';
import { createMemoryStore } from '../../storage/index.js';
import type { ApiContext } from '../handlers/context.js';
import { createObject } from '../handlers/create.js';
import { builtinResources } from '../kinds/index.js';
import { systemPriorityClasses } from '../kinds/scheduling/system-priority-classes.js';
import { ObjectStore } from '../registry/object-store.js';
import { ResourceRegistry } from '../registry/resource-registry.js';

async function context(): Promise<ApiContext> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  const ctx: ApiContext = { objects: new ObjectStore(store), registry: new ResourceRegistry(builtinResources()), logger: silentLogger(), now: () => new Date(), bookmarkIntervalMs: 1000 };
  await ensureSystemNamespaces(ctx);
  for (const pc of systemPriorityClasses()) await createObject(ctx, def(ctx, 'priorityclasses'), pc, { dryRun: false });
  return ctx;
}

function def(ctx: ApiContext, resource: string) {
  const found = ctx.registry.all().find((d) => d.resource === resource && d.storedAs === undefined);
  if (found === undefined) throw new Error(`${resource} is not served`);
  return found;
}

const pod = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

describe('pod priority admission', () => {
  it('gives a pod its class\'s priority and preemption policy, and 0 without a class', async () => {
    const ctx = await context();
    const pods = def(ctx, 'pods');
    const critical = await createObject(ctx, pods, pod('critical', { priorityClassName: 'system-node-critical' }), { dryRun: true });
    expect(critical.spec).toMatchObject({ priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
    expect((await createObject(ctx, pods, pod('plain'), { dryRun: true })).spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('uses the lowest global default for pods naming no class', async () => {
    const ctx = await context();
    const classes = def(ctx, 'priorityclasses');
    for (const [name, value] of [['default-a', 100], ['default-b', 50]] as const) {
      await createObject(ctx, classes, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault: true, preemptionPolicy: 'Never' }, { dryRun: false });
    }
    expect((await createObject(ctx, def(ctx, 'pods'), pod('p'), { dryRun: true })).spec).toMatchObject({ priorityClassName: 'default-b', priority: 50, preemptionPolicy: 'Never' });
  });

  it('refuses an unknown class and a stated priority that differs', async () => {
    const ctx = await context();
    const pods = def(ctx, 'pods');
    await expect(createObject(ctx, pods, pod('lost', { priorityClassName: 'gold' }), { dryRun: true })).rejects.toMatchObject({
      status: { code: 403, message: 'pods "lost" is forbidden: no PriorityClass with name gold was found' },
    });
    await expect(createObject(ctx, pods, pod('bold', { priority: 7 }), { dryRun: true })).rejects.toMatchObject({
      status: { code: 403, message: 'pods "bold" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name' },
    });
  });
});
