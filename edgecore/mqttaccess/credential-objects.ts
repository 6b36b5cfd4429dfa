import { z } from 'zod';
import { defaultCredentialsSecretName, MQTT_CREDENTIALS_TYPE, MQTT_SECRET_ANNOTATION } from '../../shared/k8s/device-credentials.js';
import type { EdgeStore } from '../metamanager/index.js';

/**
 * The Devices and credentials Secrets this policy reads from edge.db, validated like every other
 * SQLite row (docs/architecture.md § Input): only the fields the policy needs, anything else in
 * the object is ignored. A row that does not parse grants nothing.
 */

const deviceRow = z.object({
  metadata: z.object({
    name: z.string().min(1),
    namespace: z.string().min(1),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.object({ nodeName: z.string().optional() }).optional(),
});

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const secretRow = z.object({
  metadata: z.object({ name: z.string().min(1), namespace: z.string().min(1) }),
  type: z.literal(MQTT_CREDENTIALS_TYPE),
  data: z.object({ username: base64, password: base64 }),
});

/** A Device on this node, reduced to what access control needs. */
export interface DeviceRef {
  namespace: string;
  name: string;
  /** The name of its credentials Secret, in the Device's namespace. */
  secretName: string;
}

export interface MqttCredentials {
  namespace: string;
  secretName: string;
  username: Buffer;
  password: Buffer;
}

/** The credentials Secret a Device names: its annotation, else `<device-name>-mqtt` (docs/devices.md § Credentials). */
function credentialSecretName(deviceName: string, annotations: Record<string, string> | undefined): string {
  const named = annotations?.[MQTT_SECRET_ANNOTATION];
  return named !== undefined && named !== '' ? named : defaultCredentialsSecretName(deviceName);
}

function toDeviceRef(object: unknown, nodeName: string): DeviceRef | undefined {
  const parsed = deviceRow.safeParse(object);
  if (!parsed.success || parsed.data.spec?.nodeName !== nodeName) return undefined;
  const meta = parsed.data.metadata;
  return { namespace: meta.namespace, name: meta.name, secretName: credentialSecretName(meta.name, meta.annotations) };
}

/** One Device of this node, read live from edge.db; undefined when absent or bound elsewhere. */
export function deviceOnNode(store: EdgeStore, nodeName: string, namespace: string, name: string): DeviceRef | undefined {
  const stored = store.objects.get('Device', namespace, name);
  return stored === undefined ? undefined : toDeviceRef(stored.object, nodeName);
}

/** Every Device of this node, read live from edge.db. */
export function devicesOnNode(store: EdgeStore, nodeName: string): DeviceRef[] {
  return store.objects.list('Device').flatMap((stored) => toDeviceRef(stored.object, nodeName) ?? []);
}

/** A credentials Secret held in edge.db, decoded; undefined when absent, of another type or malformed. */
export function credentialsSecret(store: EdgeStore, namespace: string, secretName: string): MqttCredentials | undefined {
  const stored = store.objects.get('Secret', namespace, secretName);
  const parsed = secretRow.safeParse(stored?.object);
  if (!parsed.success) return undefined;
  const username = Buffer.from(parsed.data.data.username, 'base64');
  const password = Buffer.from(parsed.data.data.password, 'base64');
  // An empty username or password would let a client in without really knowing anything.
  if (username.length === 0 || password.length === 0) return undefined;
  return { namespace, secretName, username, password };
}
