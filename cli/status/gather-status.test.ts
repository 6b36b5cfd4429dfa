import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../shared/errors.js';
import type { AdminApi } from '../admin-api-client.js';
import { gatherStatus } from './gather-status.js';

const now = () => new Date('2026-01-01T00:00:10Z');
const list = (items: unknown[]) => ({ status: 200, body: { items } });

/** An API answering from a table of paths (a unit test of this module only). */
function fakeApi(answers: Record<string, { status: number; body: unknown }>): AdminApi & { paths: string[] } {
  const paths: string[] = [];
  return {
    server: 'https://127.0.0.1:6443',
    caPem: '',
    paths,
    call: async (_method, path) => {
      paths.push(path);
      const answer = answers[path];
      if (answer === undefined) return { status: 404, body: { kind: 'Status', message: 'the server could not find the requested resource' } };
      return answer;
    },
  };
}

describe('gatherStatus', () => {
  it('joins nodes, their Leases and pods; hub Leases by label; a refused kind becomes a section that says why', async () => {
    const api = fakeApi({
      '/readyz?verbose': { status: 200, body: '[+]ping ok\nreadyz check passed\n' },
      '/livez?verbose': { status: 200, body: '[+]ping ok\nlivez check passed\n' },
      '/api/v1/nodes': list([{ metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }]),
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases': list([{ metadata: { name: 'n1', annotations: { 'outpost.dev/connected-hub': 'h1', 'outpost.dev/outbox-depth': '2' } }, spec: { renewTime: '2026-01-01T00:00:09.000000Z' } }]),
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases?labelSelector=outpost.io%2Fcomponent%3Dcloudhub': list([
        { metadata: { name: 'outpost-hub-h1', namespace: 'kube-system', labels: { 'outpost.io/component': 'cloudhub' }, annotations: { 'outpost.io/hub-url': 'wss://127.0.0.1:10000' } }, spec: { holderIdentity: 'x', leaseDurationSeconds: 30, renewTime: '2026-01-01T00:00:05.000000Z' } },
        { metadata: { name: 'not-a-hub', namespace: 'kube-system', labels: { 'outpost.io/component': 'cloudhub' } }, spec: {} },
      ]),
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/outpost-controller-manager': { status: 200, body: { metadata: { name: 'outpost-controller-manager' }, spec: { holderIdentity: 'box_1' } } },
      '/api/v1/pods': list([{ metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } }]),
      '/apis/devices.kubeedge.io/v1beta1/devices': { status: 403, body: { kind: 'Status', message: 'devices.devices.kubeedge.io is forbidden' } },
    });
    const s = await gatherStatus(api, now);
    expect(s.cloud).toMatchObject({ server: 'https://127.0.0.1:6443', readyz: { state: 'ok' }, controllerLeader: 'box_1', hubs: { ok: true, items: [{ id: 'h1', url: 'wss://127.0.0.1:10000', live: true }] } });
    expect(s.nodes).toMatchObject({ ok: true, items: [{ name: 'n1', ready: 'Ready', hub: 'h1', outboxDepth: 2, pods: [{ name: 'p', status: 'Running' }] }] });
    expect(s.devices).toEqual({ ok: false, message: '403: devices.devices.kubeedge.io is forbidden' });
  });

  it('an API that does not answer: every section says so, nothing throws', async () => {
    const api: AdminApi = {
      server: 'https://127.0.0.1:1',
      caPem: '',
      call: () => Promise.reject(new OutpostError('Unavailable', 'the cloud API at https://127.0.0.1:1 is not answering (ECONNREFUSED)')),
    };
    const s = await gatherStatus(api, now);
    expect(s.cloud.readyz).toEqual({ state: 'unreachable', checks: [], message: 'the cloud API at https://127.0.0.1:1 is not answering (ECONNREFUSED)' });
    expect(s.nodes).toMatchObject({ ok: false, message: expect.stringContaining('ECONNREFUSED') });
    expect(s.unassignedPods).toEqual([]);
  });
});
