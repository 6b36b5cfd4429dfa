import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest, namespaceObject } from '../helpers/kubectl-e2e.js';
import { kubeEdgeDeviceManifests } from '../helpers/kubeedge-manifests.js';
import { waitFor } from '../helpers/poll.js';

/**
 * KubeEdge's device API (`devices.kubeedge.io/v1beta1`) is installed at first start, and device
 * manifests written the way KubeEdge's docs write them apply unchanged with kubectl's strict
 * validation and read back whole.
 */
const NS = 'factory';
let cloud: CloudProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
});

afterAll(async () => {
  await cloud?.stop();
});

const { deviceModelYaml, deviceYaml, deviceStatusYaml } = kubeEdgeDeviceManifests(NS);

function stripServerFields(doc: Record<string, unknown>): Record<string, unknown> {
  const metadata = { ...(doc.metadata as Record<string, unknown>) };
  for (const key of ['creationTimestamp', 'generation', 'resourceVersion', 'uid', 'annotations', 'managedFields']) delete metadata[key];
  return { ...doc, metadata };
}

describe('KubeEdge device CRDs', () => {
  it('are installed at first start', async () => {
    const out = await kubectl.ok(['get', 'crds', '-o', 'name']);
    expect(out.split('\n').filter((l) => l.includes('kubeedge'))).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/devicemodels.devices.kubeedge.io',
      'customresourcedefinition.apiextensions.k8s.io/devices.devices.kubeedge.io',
      'customresourcedefinition.apiextensions.k8s.io/devicestatuses.devices.kubeedge.io',
    ]);
    const resources = await kubectl.ok(['api-resources', '--api-group=devices.kubeedge.io']);
    expect(resources).toMatch(/^devices\s+devices\.kubeedge\.io\/v1beta1\s+true\s+Device$/m);
    expect(resources).toMatch(/^devicemodels\s+devices\.kubeedge\.io\/v1beta1\s+true\s+DeviceModel$/m);
    expect(resources).toMatch(/^devicestatuses\s+devices\.kubeedge\.io\/v1beta1\s+true\s+DeviceStatus$/m);
  });

  it('apply KubeEdge DeviceModel, Device and DeviceStatus manifests unchanged, and read them back', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceModelYaml })).toBe('devicemodel.devices.kubeedge.io/temperature-model created\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml })).toBe('device.devices.kubeedge.io/sensor-tag-01 created\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceStatusYaml })).toBe('devicestatus.devices.kubeedge.io/sensor-tag-01 created\n');
    // The device controller adds its summary of the DeviceStatus to the Device's status (docs/devices.md
    // § The summary in Device.status): reported 25 against desired 30 is 0 of 1 in sync.
    const summary = { state: 'online', lastOnlineTime: '2024-05-01T10:00:00Z', twinsInSync: '0/1' };
    await waitFor(async () => (await kubectl.ok(['get', 'device', 'sensor-tag-01', '-n', NS, '-o', 'jsonpath={.status.state} {.status.twinsInSync}'])) === 'online 0/1', {
      timeoutMs: 30_000,
      description: 'the summary on the Device',
    });
    const withSummary = (doc: Record<string, unknown>) => ({ ...doc, status: { ...(doc.status as object), ...summary } });
    for (const [kind, name, text] of [['devicemodel', 'temperature-model', deviceModelYaml], ['device', 'sensor-tag-01', deviceYaml], ['devicestatus', 'sensor-tag-01', deviceStatusYaml]] as const) {
      const back = parseYaml(await kubectl.ok(['get', kind, name, '-n', NS, '-o', 'yaml'])) as Record<string, unknown>;
      const expected = parseYaml(text) as Record<string, unknown>;
      expect(stripServerFields(back)).toEqual(kind === 'device' ? withSummary(expected) : expected);
    }
    // Applying the same manifests again changes nothing.
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml })).toBe('device.devices.kubeedge.io/sensor-tag-01 unchanged\n');
  });

  it('lists devices with node, model, state and in-sync columns', async () => {
    const out = await kubectl.ok(['get', 'devices', '-n', NS]);
    expect(out).toMatch(/^NAME\s+NODE\s+MODEL\s+STATE\s+IN-SYNC\s+AGE\n/);
    expect(out).toMatch(/^sensor-tag-01\s+edge-node-1\s+temperature-model\s+online\s+0\/1\s+\d+s$/m);
    expect(await kubectl.ok(['get', 'devicemodels', '-n', NS])).toMatch(/^temperature-model\s+modbus\s+\d+s$/m);
  });

  it('refuses values KubeEdge does not allow', async () => {
    const res = await kubectl(['apply', '-f', '-'], { stdin: deviceModelYaml.replace('type: INT', 'type: INTEGER').replace('temperature-model', 'bad-model') });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The DeviceModel "bad-model" is invalid: spec.properties[0].type: Unsupported value: "INTEGER": supported values: "INT", "FLOAT", "DOUBLE", "STRING", "BOOLEAN", "BYTES", "STREAM"');
  });

  it('are ensured again at every start', async () => {
    await kubectl.ok(['delete', 'crd', 'devicestatuses.devices.kubeedge.io']);
    await cloud.stop();
    cloud = await startCloud({ dataDir: cloud.dataDir });
    kubectl = createKubectl(cloud.kubeconfig);
    expect(await kubectl.ok(['get', 'crd', 'devicestatuses.devices.kubeedge.io', '-o', 'name'])).toBe(
      'customresourcedefinition.apiextensions.k8s.io/devicestatuses.devices.kubeedge.io\n',
    );
    expect(await kubectl.ok(['get', 'device', 'sensor-tag-01', '-n', NS, '-o', 'jsonpath={.spec.nodeName}'])).toBe('edge-node-1');
  });
});
