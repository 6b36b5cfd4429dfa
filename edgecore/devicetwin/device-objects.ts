import { z } from 'zod';
import type { EdgeStore } from '../metamanager/index.js';
import type { TwinValue } from './twin-table.js';

/**
 * The Device and DeviceModel objects the cloud sent this node (docs/protocol.md R39), read from
 * the object table and narrowed with zod: the fields DeviceTwin uses
 * (docs/kubeedge-compat.md § Device API). Anything else in them is passed over.
 */
export const DEVICE_KIND = 'Device';
export const DEVICE_MODEL_KIND = 'DeviceModel';

const stringMap = z.record(z.string(), z.string());
const deviceSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string(), uid: z.string() }),
  spec: z
    .looseObject({
      nodeName: z.string().optional(),
      deviceModelRef: z.looseObject({ name: z.string() }).optional(),
      properties: z
        .array(z.looseObject({ name: z.string(), desired: z.looseObject({ value: z.string().optional(), metadata: stringMap.optional() }).optional() }))
        .optional(),
    })
    .optional(),
});
const deviceModelSchema = z.looseObject({
  spec: z.looseObject({ properties: z.array(z.looseObject({ name: z.string(), type: z.string().optional() })).optional() }).optional(),
});

export interface DeclaredProperty {
  /** The cloud's desired value (Device spec.properties[].desired), which the edge takes as expected. */
  desired?: TwinValue;
  /** The DeviceModel's type (INT, FLOAT, …). */
  type?: string;
}

export interface DeviceView {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string | undefined;
  model: string | undefined;
  /** Whether the DeviceModel named is held here (the declared set is complete only then). */
  modelKnown: boolean;
  /** The properties declared by the Device or its DeviceModel. */
  properties: Map<string, DeclaredProperty>;
}

/** The Device `<namespace>/<name>` as held, or undefined (not here, or not a Device we can read). */
export function findDevice(store: EdgeStore, namespace: string, name: string): DeviceView | undefined {
  const stored = store.objects.get(DEVICE_KIND, namespace, name);
  return stored === undefined ? undefined : deviceView(store, stored.object);
}

/** Every Device held, in namespace and name order. */
export function listDevices(store: EdgeStore): DeviceView[] {
  return store.objects.list(DEVICE_KIND).flatMap((stored) => deviceView(store, stored.object) ?? []);
}

/** The view of one Device object; undefined if it does not have a Device's shape. */
export function deviceView(store: EdgeStore, object: unknown): DeviceView | undefined {
  const parsed = deviceSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const device = parsed.data;
  const spec = device.spec ?? {};
  const modelName = spec.deviceModelRef?.name;
  const properties = new Map<string, DeclaredProperty>();
  let modelKnown = modelName === undefined;
  if (modelName !== undefined) {
    const model = store.objects.get(DEVICE_MODEL_KIND, device.metadata.namespace, modelName);
    const parsedModel = model === undefined ? undefined : deviceModelSchema.safeParse(model.object);
    if (parsedModel?.success === true) {
      modelKnown = true;
      for (const p of parsedModel.data.spec?.properties ?? []) properties.set(p.name, p.type === undefined ? {} : { type: p.type });
    }
  }
  for (const p of spec.properties ?? []) {
    const declared = properties.get(p.name) ?? {};
    const desiredValue = p.desired?.value;
    properties.set(p.name, { ...declared, ...(desiredValue === undefined ? {} : { desired: { value: desiredValue, metadata: p.desired?.metadata ?? {} } }) });
  }
  return {
    namespace: device.metadata.namespace,
    name: device.metadata.name,
    uid: device.metadata.uid,
    nodeName: spec.nodeName,
    model: modelName,
    modelKnown,
    properties,
  };
}
