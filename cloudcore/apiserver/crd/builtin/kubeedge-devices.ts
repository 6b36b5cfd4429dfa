import type { KubeObject } from '../../../../shared/k8s/types.js';
import type { JSONSchemaProps } from '../json-schema-props.js';
import type { PrinterColumn } from '../printer-columns.js';

/**
 * KubeEdge's device API, `devices.kubeedge.io/v1beta1` (Device, DeviceModel, DeviceStatus), as
 * CRDs written from the field lists in docs/kubeedge-compat.md, so that KubeEdge users' device
 * manifests apply unchanged with strict validation. Protocol-specific data (`configData`,
 * `pushMethod`) is free-form, as in KubeEdge. Neither KubeEdge kind has short names or a status
 * subresource (KubeEdge's device controller writes status through the main resource), so none
 * are added here.
 */
export const DEVICES_GROUP = 'devices.kubeedge.io';
export const DEVICES_VERSION = 'v1beta1';

const str = (description?: string): JSONSchemaProps => ({ type: 'string', ...(description ? { description } : {}) });
const int = (description: string): JSONSchemaProps => ({ type: 'integer', format: 'int64', description });
const bool = (description: string): JSONSchemaProps => ({ type: 'boolean', description });
const obj = (properties: Record<string, JSONSchemaProps>, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps => ({ type: 'object', properties, ...extra });
const list = (items: JSONSchemaProps, description?: string): JSONSchemaProps => ({ type: 'array', items, ...(description ? { description } : {}) });
/** Any JSON value: KubeEdge keeps protocol-specific settings as free-form data. */
const freeForm = (description: string): JSONSchemaProps => ({ description, 'x-kubernetes-preserve-unknown-fields': true });
const freeObject = (description: string): JSONSchemaProps => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });

/** A twin value as KubeEdge writes it: `{value, metadata: {timestamp, type}}`. */
const twinProperty = (description: string): JSONSchemaProps =>
  obj({ value: str('The value of the property, as a string.'), metadata: { type: 'object', additionalProperties: { type: 'string' } } }, { description });

const twins = list(
  obj({
    propertyName: str('The name of the device property.'),
    reported: twinProperty('The value the device reported.'),
    observedDesired: twinProperty('The desired value the device last saw.'),
  }),
  'Reported and observed desired values of the device properties.',
);

const deviceStatusFields: Record<string, JSONSchemaProps> = {
  twins,
  state: str('The device state: online, offline, ok, unhealthy or unknown.'),
  lastOnlineTime: str('When the device was last online.'),
  reportToCloud: bool('Whether the device state is reported to the cloud.'),
  reportCycle: int('How often the device state is reported, in milliseconds.'),
};

const protocolConfig = obj({ protocolName: str('The name of the protocol (mapper) that talks to the device.'), configData: freeForm('Protocol-specific settings.') });

const deviceSpec = obj(
  {
    deviceModelRef: obj({ name: str('The name of the DeviceModel in the same namespace.') }),
    nodeName: str('The edge node the device is attached to.'),
    protocol: protocolConfig,
    properties: list(
      obj({
        name: str('The name of a property of the device model.'),
        desired: twinProperty('The value the device should take.'),
        visitors: obj({ protocolName: str('The protocol used to access the property.'), configData: freeForm('How the protocol reads the property.') }),
        reportCycle: int('How often the property is reported, in milliseconds.'),
        collectCycle: int('How often the property is read from the device, in milliseconds.'),
        reportToCloud: bool('Whether the property value is reported to the cloud.'),
        pushMethod: freeObject('Where the mapper pushes collected values (mqtt, http, databases).'),
      }, { required: ['name'] }),
      'The properties of the device and how to reach them.',
    ),
    methods: list(obj({ name: str(), description: str(), propertyNames: list(str()) }), 'Methods the device offers to applications.'),
    stateReport: freeForm('How the device state is reported.'),
  },
  { description: 'DeviceSpec is the desired state of a device.' },
);

const deviceModelSpec = obj(
  {
    protocol: str('The protocol the devices of this model speak.'),
    properties: list(
      obj({
        name: str('The name of the property.'),
        description: str('What the property is.'),
        type: { type: 'string', enum: ['INT', 'FLOAT', 'DOUBLE', 'STRING', 'BOOLEAN', 'BYTES', 'STREAM'], description: 'The type of the property value.' },
        accessMode: { type: 'string', enum: ['ReadWrite', 'ReadOnly'], description: 'Whether applications may write the property.' },
        // KubeEdge keeps the bounds as strings; manifests also write bare numbers.
        minimum: freeForm('The smallest value allowed.'),
        maximum: freeForm('The largest value allowed.'),
        unit: str('The unit of the value.'),
      }, { required: ['name'] }),
      'The properties every device of this model has.',
    ),
  },
  { description: 'DeviceModelSpec describes a kind of device.' },
);

function rootSchema(description: string, fields: Record<string, JSONSchemaProps>): JSONSchemaProps {
  return obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, ...fields }, { description });
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function deviceCrd(plural: string, kind: string, schema: JSONSchemaProps, columns: PrinterColumn[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${DEVICES_GROUP}`, labels: { 'app.kubernetes.io/part-of': 'outpost' } },
    spec: {
      group: DEVICES_GROUP,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [{ name: DEVICES_VERSION, served: true, storage: true, schema: { openAPIV3Schema: schema }, additionalPrinterColumns: [...columns, age] }],
    },
  };
}

/** The three device CRDs, fresh objects each call. */
export function kubeEdgeDeviceCrds(): KubeObject[] {
  return [
    deviceCrd('devicemodels', 'DeviceModel', rootSchema('DeviceModel is a kind of device: its protocol and properties.', { spec: deviceModelSpec }), [
      { name: 'Protocol', type: 'string', jsonPath: '.spec.protocol' },
    ]),
    deviceCrd(
      'devices',
      'Device',
      rootSchema('Device is one physical device attached to an edge node.', {
        spec: deviceSpec,
        // Releases before 1.23 kept the twins here; kept as that shape, open to more. Outpost's
        // device controller keeps a summary here (docs/devices.md § The summary in Device.status).
        status: obj(
          { ...deviceStatusFields, twinsInSync: str('Properties whose reported value equals the desired one, over properties with a desired value (e.g. 2/3).') },
          { 'x-kubernetes-preserve-unknown-fields': true },
        ),
      }),
      [
        { name: 'Node', type: 'string', jsonPath: '.spec.nodeName' },
        { name: 'Model', type: 'string', jsonPath: '.spec.deviceModelRef.name' },
        { name: 'State', type: 'string', jsonPath: '.status.state' },
        { name: 'In-Sync', type: 'string', jsonPath: '.status.twinsInSync' },
      ],
    ),
    deviceCrd(
      'devicestatuses',
      'DeviceStatus',
      rootSchema('DeviceStatus is the reported state of a device.', {
        spec: freeObject('Unused; DeviceStatus carries its data in status.'),
        status: obj(deviceStatusFields),
      }),
      [{ name: 'State', type: 'string', jsonPath: '.status.state' }],
    ),
  ];
}
