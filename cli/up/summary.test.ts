import { describe, expect, it } from 'vitest';
import { renderSummary, type SummaryInput } from './summary.js';

const input: SummaryInput = {
  apiUrl: 'https://127.0.0.1:6443',
  kubeconfig: '/data/cloud/admin.kubeconfig',
  dataDir: '/data',
  edges: [{ name: 'edge-1', metaserverUrl: 'http://127.0.0.1:10550', mqttUrl: 'mqtt://127.0.0.1:1883' }],
  nodesAndPods: ['NAME          STATUS', 'node/edge-1   Ready'],
  twin: { temperatures: ['18.5', '19.0'], desiredSetpoint: '21', reportedSetpoint: '21' },
  mapperLog: '/data/examples/thermostat-mapper.log',
  apps: true,
  podsRun: true,
};

describe("outpost up's summary", () => {
  it('names the kubeconfig, shows the table and the changing twin, and exactly three things to try with this run’s ports', () => {
    const text = renderSummary(input);
    expect(text).toContain('export KUBECONFIG=/data/cloud/admin.kubeconfig');
    expect(text).toContain('$ kubectl get nodes,pods -o wide\nNAME          STATUS\nnode/edge-1   Ready\n');
    expect(text).toContain('temperature  reported 19.0 °C (changing: 18.5 → 19.0)');
    expect(text).toContain('setpoint     desired 21, reported 21');
    expect(text.match(/^ {2}\d\. /gm)).toEqual(['  1. ', '  2. ', '  3. ']);
    expect(text).toContain('kubectl scale deployment web --replicas=3');
    expect(text).toContain('outpost status --data-dir /data');
    expect(text).toContain("mosquitto_sub -h 127.0.0.1 -p 1883 -u ");
    expect(text).toContain('outpost reset --data-dir /data');
  });

  it('still offers three things without the demo apps or the thermostat', () => {
    const text = renderSummary({ ...input, apps: false, twin: undefined, mapperLog: undefined });
    expect(text).not.toContain('Device twin');
    expect(text.match(/^ {2}\d\. /gm)).toHaveLength(3);
    expect(text).toContain('kubectl --server http://127.0.0.1:10550 get pods -A');
  });

  it('without edges: says no resources, offers the join command, and promises no pods', () => {
    const text = renderSummary({ ...input, edges: [], nodesAndPods: [], apps: false, twin: undefined, mapperLog: undefined, podsRun: false });
    expect(text).toContain('$ kubectl get nodes,pods -o wide\nNo resources found in default namespace.\n');
    expect(text.match(/^ {2}\d\. .*$/gm)?.map((l) => l.split('    #')[0])).toEqual(['  1. outpost status --data-dir /data', '  2. outpost token create --data-dir /data', '  3. kubectl get nodes -w']);
    expect(text).toContain('Press Ctrl-C to stop.\n');
    expect(text).not.toContain('Pods keep running');
  });
});
