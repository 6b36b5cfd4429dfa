import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { waitFor } from '../helpers/edge-process.js';
import { containerdPidsOf, edgeDataDirOf, getPod, ipInCidr, serves, startEdgedSetup, waitForBody, waitForPod, webPod, type EdgedSetup } from '../helpers/edged-e2e.js';

/*
 * Issue 6: several edges on one machine (as `outpost up --edges 2` runs them) each have their own
 * containerd, bridge and pod subnet, run pods side by side without colliding, and `outpost reset`
 * of each leaves none of its containerd behind.
 */

// Its own cluster range, so that edges of test files running beside this one never share a subnet.
const CLUSTER_CIDR = '10.62.0.0/16';

/** Interface name → its IPv4 addresses (CIDR form), from `ip -o -4 addr show`. */
function hostAddresses(): Map<string, string[]> {
  const out = spawnSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).stdout;
  const byName = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const [, name, , address] = line.trim().split(/\s+/);
    if (name === undefined || address === undefined) continue;
    byName.set(name, [...(byName.get(name) ?? []), address]);
  }
  return byName;
}

/** The interfaces that hold an address inside `cidr` (the bridge of that pod subnet). */
function interfacesIn(cidr: string): string[] {
  return [...hostAddresses()].filter(([, addresses]) => addresses.some((a) => ipInCidr(a.split('/')[0] ?? '', cidr))).map(([name]) => name);
}

async function podCidrOf(setup: EdgedSetup): Promise<string> {
  const node = (await setup.api('GET', `/api/v1/nodes/${setup.node}`)).json<{ spec?: { podCIDR?: string } }>();
  return node.spec?.podCIDR ?? '';
}

describe('edged: two edges on one machine', () => {
  let cloud: CloudProcess | undefined;
  const edges: EdgedSetup[] = [];
  const stopped = new Set<EdgedSetup>();

  afterAll(async () => {
    const problems: unknown[] = [];
    for (const edge of edges.filter((e) => !stopped.has(e))) {
      try {
        await edge.stop();
      } catch (err) {
        problems.push(err);
      }
    }
    await cloud?.stop('SIGKILL');
    if (problems.length > 0) throw problems[0];
  }, 240_000);

  it('each edge runs its pod on its own bridge and subnet; deleting one pod leaves the other; reset leaves no containerd', async () => {
    cloud = await startCloud({ args: ['--cluster-cidr', CLUSTER_CIDR] });
    edges.push(await startEdgedSetup({ node: 'edged-two-a', cloud }));
    edges.push(await startEdgedSetup({ node: 'edged-two-b', cloud }));
    const [a, b] = edges;
    if (a === undefined || b === undefined) throw new Error('unreachable');

    // Both pods at once: two fresh edges start their containerd and build their images side by side.
    const podA = 'web-on-a';
    const podB = 'web-on-b';
    await a.kubectl.ok(['apply', '-f', '-'], { stdin: JSON.stringify(webPod(podA, a.node)) });
    await b.kubectl.ok(['apply', '-f', '-'], { stdin: JSON.stringify(webPod(podB, b.node)) });
    const runningA = await waitForPod(a, podA, (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true, 60_000);
    const runningB = await waitForPod(b, podB, (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready === true, 60_000);

    // Different subnets, each pod in its own node's, each on its own edge's bridge.
    const cidrA = await podCidrOf(a);
    const cidrB = await podCidrOf(b);
    expect(cidrA).not.toBe('');
    expect(cidrB).not.toBe('');
    expect(cidrA).not.toBe(cidrB);
    const ipA = runningA.status?.podIP ?? '';
    const ipB = runningB.status?.podIP ?? '';
    expect(ipInCidr(ipA, cidrA), `${ipA} in ${cidrA}`).toBe(true);
    expect(ipInCidr(ipB, cidrB), `${ipB} in ${cidrB}`).toBe(true);
    const bridgeA = containerdLayout(edgeDataDirOf(a)).bridgeName;
    const bridgeB = containerdLayout(edgeDataDirOf(b)).bridgeName;
    expect(bridgeA).not.toBe(bridgeB);
    expect(interfacesIn(cidrA)).toEqual([bridgeA]);
    expect(interfacesIn(cidrB)).toEqual([bridgeB]);

    // Each has its own containerd.
    expect(containerdPidsOf(edgeDataDirOf(a))).toHaveLength(1);
    expect(containerdPidsOf(edgeDataDirOf(b))).toHaveLength(1);

    // Both serve their own text.
    const urlA = `http://${ipA}:8080/`;
    const urlB = `http://${ipB}:8080/`;
    await waitForBody(urlA, `hello from ${podA}`);
    await waitForBody(urlB, `hello from ${podB}`);

    // Deleting A's pod leaves B's alone.
    const containerB = runningB.status?.containerStatuses?.[0]?.containerID;
    await a.kubectl.ok(['delete', 'pod', podA, '--timeout=60s'], { timeoutMs: 90_000 });
    expect(await getPod(a, podA)).toBeUndefined();
    await waitFor(async () => !(await serves(urlA, `hello from ${podA}`)), 15_000, () => `${urlA} still serves the deleted pod`);
    expect(await serves(urlB, `hello from ${podB}`)).toBe(true);
    const stillB = await getPod(b, podB);
    expect(stillB?.status?.phase).toBe('Running');
    expect(stillB?.status?.containerStatuses?.[0]).toMatchObject({ containerID: containerB, restartCount: 0, ready: true });

    // `outpost reset` of both (stop() kills the agent, then resets): no containerd of theirs remains, nothing serves.
    for (const edge of edges) {
      await edge.stop();
      stopped.add(edge);
    }
    expect(containerdPidsOf(edgeDataDirOf(a))).toEqual([]);
    expect(containerdPidsOf(edgeDataDirOf(b))).toEqual([]);
    expect(await serves(urlB, `hello from ${podB}`)).toBe(false);
    expect(interfacesIn(cidrA)).toEqual([]);
    expect(interfacesIn(cidrB)).toEqual([]);
  }, 240_000);
});
