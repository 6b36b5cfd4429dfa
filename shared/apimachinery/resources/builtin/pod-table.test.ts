import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../k8s/types.js';
import { podTable } from './pod-table.js';

const now = new Date('2025-01-01T12:00:00Z');

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', creationTimestamp: '2025-01-01T11:55:00Z', ...meta }, spec, status };
}

const oneContainer = { containers: [{ name: 'app', image: 'nginx' }] };

describe('pod table', () => {
  it('has the kubectl columns', () => {
    expect(podTable.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });

  it('prints a running pod', () => {
    const p = pod(
      { ...oneContainer, nodeName: 'edge-1' },
      {
        phase: 'Running',
        podIP: '10.42.0.5',
        podIPs: [{ ip: '10.42.0.5' }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T11:56:00Z' } } }],
      },
    );
    expect(podTable.cells(p, now)).toEqual(['web', '1/1', 'Running', '0', '5m', '10.42.0.5', 'edge-1', '<none>', '<none>']);
  });

  it('prints a pending pod and one creating its container', () => {
    expect(podTable.cells(pod(oneContainer, { phase: 'Pending' }), now).slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);
    const creating = pod(oneContainer, {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect(podTable.cells(creating, now).slice(0, 4)).toEqual(['web', '0/1', 'ContainerCreating', '0']);
  });

  it('prints a crash-looping pod with the time since the last restart', () => {
    const p = pod(oneContainer, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T11:55:00Z' } },
        },
      ],
    });
    expect(podTable.cells(p, now).slice(0, 4)).toEqual(['web', '0/1', 'CrashLoopBackOff', '2 (5m ago)']);
  });

  it('prints terminated containers and terminating pods', () => {
    const done = pod(oneContainer, { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    expect(podTable.cells(done, now)[2]).toBe('Completed');
    const killed = pod(oneContainer, { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137 } } }] });
    expect(podTable.cells(killed, now)[2]).toBe('ExitCode:137');
    const running = pod(oneContainer, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] }, {
      deletionTimestamp: '2025-01-01T11:59:00Z',
    });
    expect(podTable.cells(running, now)[2]).toBe('Terminating');
  });

  it('prints init container progress', () => {
    const p = pod(
      { ...oneContainer, initContainers: [{ name: 'init', image: 'busybox' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { running: {} } }],
        containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    );
    expect(podTable.cells(p, now).slice(0, 3)).toEqual(['web', '0/1', 'Init:0/1']);
    const failing = pod(
      { ...oneContainer, initContainers: [{ name: 'init', image: 'busybox' }] },
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    );
    expect(podTable.cells(failing, now)[2]).toBe('Init:CrashLoopBackOff');
  });

  it('counts readiness gates', () => {
    const p = pod(
      { ...oneContainer, readinessGates: [{ conditionType: 'example.com/ready' }] },
      { phase: 'Running', conditions: [{ type: 'example.com/ready', status: 'True' }] },
    );
    expect(podTable.cells(p, now)[8]).toBe('1/1');
  });
});
