import { describe, expect, it } from 'vitest';
import { columns, renderStatus } from './render-status.js';
import type { NodeView, PodView, StatusSnapshot } from './status-snapshot.js';

const now = new Date('2026-01-01T00:01:00Z');
const running = (name: string): PodView => ({ namespace: 'default', name, ready: '1/1', status: 'Running', restarts: 0 });

function snapshot(nodes: NodeView[], more: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    at: now.toISOString(),
    cloud: {
      server: 'https://127.0.0.1:6443',
      readyz: { state: 'ok', checks: [{ name: 'ping', ok: true }, { name: 'informer-sync', ok: true }] },
      livez: { state: 'ok', checks: [{ name: 'ping', ok: true }] },
      hubs: { ok: true, items: [{ id: 'aaaa11', url: 'wss://10.0.0.1:10000', live: true, renewTime: '2026-01-01T00:00:50.000000Z' }] },
      controllerLeader: 'box_1234',
    },
    nodes: { ok: true, items: nodes },
    unassignedPods: [],
    devices: { ok: true, items: [{ namespace: 'default', name: 'thermostat', node: 'edge-1', state: 'online', twinsInSync: '1/1', lastOnlineTime: '2026-01-01T00:00:58Z' }] },
    ...more,
  };
}

const edge1: NodeView = { name: 'edge-1', ready: 'Ready', link: 'online', hub: 'aaaa11', lastSeen: '2026-01-01T00:00:57.000000Z', outboxDepth: 0, pods: [running('web-1'), running('agent-x')] };
const edge2: NodeView = { name: 'edge-2', ready: 'Unknown', link: 'offline', hub: 'aaaa11', lastSeen: '2026-01-01T00:00:00.000000Z', outboxDepth: 4, pods: [running('agent-y')] };

describe('outpost status screen', () => {
  it('shows the cloud, nodes with their link, pods per node and devices', () => {
    expect(renderStatus(snapshot([edge1, edge2]), now)).toBe(
      [
        'Outpost status at 2026-01-01T00:01:00.000Z',
        '',
        'CLOUD https://127.0.0.1:6443   ready ok (2 checks), live ok (1 check)',
        '  CLOUDCORE   HUB URL                STATE   LEASE',
        '  aaaa11      wss://10.0.0.1:10000   live    renewed 10s ago',
        '  controllers run on: box_1234',
        '',
        'NODES (2, 1 ready)',
        '  NAME     STATUS    LINK      CLOUDCORE   LAST SEEN   OUTBOX   PODS',
        '  edge-1   Ready     online    aaaa11      3s ago      0        2 (2 running)',
        '  edge-2   Unknown   offline   (aaaa11)    60s ago     4        1 (1 running)',
        '',
        'PODS (3)',
        '  NODE     POD               READY   STATUS    RESTARTS',
        '  edge-1   default/web-1     1/1     Running   0',
        '  edge-1   default/agent-x   1/1     Running   0',
        '  edge-2   default/agent-y   1/1     Running   0',
        '',
        'DEVICES (1)',
        '  DEVICE               NODE     STATE    IN-SYNC   LAST ONLINE',
        '  default/thermostat   edge-1   online   1/1       2s ago',
        '',
      ].join('\n'),
    );
  });

  it('says why a section is missing, names failing checks, and caps pods per node', () => {
    const many: NodeView = { ...edge1, pods: Array.from({ length: 5 }, (_, i) => running(`p${i}`)) };
    const text = renderStatus(
      snapshot([many], {
        devices: { ok: false, message: '404: the server could not find the requested resource' },
        unassignedPods: [{ namespace: 'default', name: 'waiting', ready: '0/1', status: 'Pending', restarts: 0 }],
      }),
      now,
      { maxPodsPerNode: 2 },
    );
    expect(text).toContain('DEVICES: 404: the server could not find the requested resource');
    expect(text).toContain('  … and 3 more on edge-1 (kubectl get pods -A --field-selector spec.nodeName=edge-1)');
    expect(text).toMatch(/\(none\)\s+default\/waiting\s+0\/1\s+Pending/);
    expect(text).toContain('PODS (6)');
    const failing = renderStatus(snapshot([], { cloud: { ...snapshot([]).cloud, readyz: { state: 'failing', checks: [{ name: 'etcd', ok: false }] } } }), now);
    expect(failing).toContain('ready FAILING (etcd)');
    expect(failing).toContain('NODES (0, 0 ready)\n  none yet');
  });

  it('says the cloud is unreachable without failing', () => {
    const down = snapshot([], {
      cloud: { server: 'https://127.0.0.1:1', readyz: { state: 'unreachable', checks: [], message: 'the cloud API at https://127.0.0.1:1 is not answering (ECONNREFUSED)' }, livez: { state: 'unreachable', checks: [] }, hubs: { ok: false, message: 'ECONNREFUSED' } },
      nodes: { ok: false, message: 'ECONNREFUSED' },
    });
    const text = renderStatus(down, now);
    expect(text).toContain('ready unreachable, live unreachable');
    expect(text).toContain('is not answering (ECONNREFUSED)');
    expect(text).toContain('NODES: ECONNREFUSED');
  });

  it('pads columns as kubectl\'s tabwriter does', () => {
    expect(columns([['A', 'BB', 'C'], ['aaa', 'b', 'c']])).toEqual(['A     BB   C', 'aaa   b    c']);
  });
});
