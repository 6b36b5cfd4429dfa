/**
 * Device manifests written the way KubeEdge's docs write them (devices.kubeedge.io/v1beta1), for
 * the e2e tests that apply them unchanged with kubectl.
 */
export function kubeEdgeDeviceManifests(NS: string): { deviceModelYaml: string; deviceYaml: string; deviceStatusYaml: string } {
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

  return { deviceModelYaml, deviceYaml, deviceStatusYaml };
}
