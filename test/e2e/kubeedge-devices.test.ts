import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest, namespaceObject } from '../helpers/kubectl-e2e.js';

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

const deviceModelYaml = `apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata:
  name: temperature-model
  namespace: ${NS}
spec:
  properties:
    - name: temperature
      description: temperature in degree celsius
      type: INT
      accessMode: ReadWrite
      maximum: "100"
      minimum: "1"
      unit: degree celsius
    - name: temperature-enable
      description: enable data collection of temperature sensor
      type: STRING
      accessMode: ReadWrite
  protocol: modbus
`;

const deviceYaml = `apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata:
  name: sensor-tag-01
  namespace: ${NS}
  labels:
    description: TISimplelinkSensorTag
    model: temperature-model
spec:
  deviceModelRef:
    name: temperature-model
  nodeName: edge-node-1
  protocol:
    protocolName: modbus
    configData:
      deviceID: 2
      serialPort: /dev/ttyS0
      baudRate: 9600
      dataBits: 8
      parity: even
      stopBits: 1
  properties:
    - name: temperature
      collectCycle: 10000
      reportCycle: 10000
      reportToCloud: true
      desired:
        value: "30"
        metadata:
          type: int
      visitors:
        protocolName: modbus
        configData:
          register: HoldingRegister
          offset: 2
          limit: 1
          scale: 1
          isSwap: true
          isRegisterSwap: true
      pushMethod:
        mqtt:
          address: tcp://127.0.0.1:1883
          topic: temperature
          qos: 0
          retained: false
  methods:
    - name: setTemperature
      description: set the temperature threshold
      propertyNames:
        - temperature
status:
  twins:
    - propertyName: temperature
      reported:
        value: "25"
        metadata:
          timestamp: "1700000000000"
          type: int
`;

const deviceStatusYaml = `apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceStatus
metadata:
  name: sensor-tag-01
  namespace: ${NS}
status:
  state: online
  lastOnlineTime: "2024-05-01T10:00:00Z"
  twins:
    - propertyName: temperature
      reported:
        value: "25"
        metadata:
          timestamp: "1700000000000"
      observedDesired:
        value: "30"
        metadata:
          timestamp: "1700000000000"
`;

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
    for (const [kind, name, text] of [['devicemodel', 'temperature-model', deviceModelYaml], ['device', 'sensor-tag-01', deviceYaml], ['devicestatus', 'sensor-tag-01', deviceStatusYaml]] as const) {
      const back = parseYaml(await kubectl.ok(['get', kind, name, '-n', NS, '-o', 'yaml'])) as Record<string, unknown>;
      expect(stripServerFields(back)).toEqual(parseYaml(text));
    }
    // Applying the same manifests again changes nothing.
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml })).toBe('device.devices.kubeedge.io/sensor-tag-01 unchanged\n');
  });

  it('lists devices with node and model columns', async () => {
    const out = await kubectl.ok(['get', 'devices', '-n', NS]);
    expect(out).toMatch(/^NAME\s+NODE\s+MODEL\s+AGE\n/);
    expect(out).toMatch(/^sensor-tag-01\s+edge-node-1\s+temperature-model\s+\d+s$/m);
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
