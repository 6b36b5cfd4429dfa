/* The DeviceModel and Devices the twin figures use: KubeEdge's devices.kubeedge.io/v1beta1 kinds (docs/kubeedge-compat.md § Device API). */

export const DEVICE_API = '/apis/devices.kubeedge.io/v1beta1';
export const DEVICE_NAMESPACE = 'default';
const MODEL = 'bench-thermostat';

export function deviceName(i: number): string {
  return `bench-dev-${String(i).padStart(3, '0')}`;
}

export function deviceModelBody(): string {
  return JSON.stringify({
    apiVersion: 'devices.kubeedge.io/v1beta1',
    kind: 'DeviceModel',
    metadata: { name: MODEL, namespace: DEVICE_NAMESPACE },
    spec: {
      protocol: 'mqtt',
      properties: [
        { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly', minimum: '-40', maximum: '85', unit: 'degree celsius' },
        { name: 'setpoint', type: 'FLOAT', accessMode: 'ReadWrite', minimum: '5', maximum: '35', unit: 'degree celsius' },
      ],
    },
  });
}

export function deviceBody(name: string, nodeName: string): string {
  return JSON.stringify({
    apiVersion: 'devices.kubeedge.io/v1beta1',
    kind: 'Device',
    metadata: { name, namespace: DEVICE_NAMESPACE },
    spec: {
      deviceModelRef: { name: MODEL },
      nodeName,
      protocol: { protocolName: 'mqtt' },
      properties: [
        { name: 'temperature', reportToCloud: true },
        { name: 'setpoint', reportToCloud: true, desired: { value: '21', metadata: { type: 'float' } } },
      ],
    },
  });
}

/** A JSON patch setting the desired setpoint (property index 1 in deviceBody). */
export function desiredSetpointPatch(value: string): string {
  return JSON.stringify([{ op: 'replace', path: '/spec/properties/1/desired/value', value }]);
}
