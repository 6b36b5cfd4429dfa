import { DEVICES_API_VERSION } from '../../../shared/k8s/device-owner.js';
import { defaultCredentialsSecretName, namesOwnCredentials } from '../../../shared/k8s/device-credentials.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { OutpostError } from '../../../shared/errors.js';
import { createIfAbsent, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent } from '../../informers/index.js';
import { recordEvent } from '../events/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { defaultCredentialsSecret } from './credentials-secret.js';
import { summaryIsCurrent, twinSummaryOf, withSummary } from './twin-summary.js';

const GROUP = 'devices.kubeedge.io';
const COMPONENT = 'device-controller';
const SECRET_SUFFIX = defaultCredentialsSecretName('');

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** A device kind's definition, looked up per reconcile: the CRD is served at run time (a retry waits for it). */
function deviceDefinition(ctx: ApiContext, resource: 'devices' | 'devicestatuses'): ResourceDefinition {
  const def = ctx.registry.get(GROUP, 'v1beta1', resource);
  if (def === undefined) throw new OutpostError('Unavailable', `${DEVICES_API_VERSION} ${resource} are not served yet`);
  return def;
}

/**
 * The device controller (docs/devices.md), keyed by Device: it makes the default credentials
 * Secret of a Device that names none (and again if it is deleted), and keeps the summary in
 * `Device.status` (state, lastOnlineTime, twinsInSync) in step with the DeviceStatus the edge
 * reports into. It writes the Device only when the summary changed: every Device write is a new
 * version sent to its node. Sending Devices to nodes is the per-node index's work
 * (cloudcore/edgecontroller/, protocol.md R39), not this controller's.
 *
 * The offline rule (docs/architecture.md § Controllers): a Device on an unreachable node keeps its
 * binding and shows the state its edge last reported; nothing here depends on the node's health.
 */
export function createDeviceController(deps: ControllerDeps): Module {
  const { api: ctx, logger } = deps;
  const secretsDef = servedDefinition(ctx, '', 'secrets');
  const devices = deps.informers.informerFor({ group: GROUP, resource: 'devices', namespaced: true });
  const statuses = deps.informers.informerFor({ group: GROUP, resource: 'devicestatuses', namespaced: true });
  const secrets = deps.informers.informerFor(secretsDef);
  const queue = createWorkQueue<string>({ name: 'device', logger });

  /** A default-named secret changed or went: its Device looks again (recreated if deleted). */
  function onSecret(event: InformerEvent): void {
    const name = event.object.metadata.name ?? '';
    if (name.endsWith(SECRET_SUFFIX) && name.length > SECRET_SUFFIX.length) queue.add(`${event.object.metadata.namespace ?? ''}/${name.slice(0, -SECRET_SUFFIX.length)}`);
  }

  async function ensureCredentials(device: KubeObject): Promise<void> {
    // docs/devices.md § Credentials: a Secret the Device names is the user's; the cloud never touches it.
    if (namesOwnCredentials(device)) return;
    const name = defaultCredentialsSecretName(device.metadata.name ?? '');
    if (secrets.get(device.metadata.namespace, name) !== undefined) return;
    const outcome = await createIfAbsent(ctx, secretsDef, defaultCredentialsSecret(device));
    if (!outcome.created) return;
    logger.info({ device: keyOf(device), secret: name }, 'created the default MQTT credentials secret');
    await recordEvent(ctx, logger, { involved: device, reason: 'CredentialsCreated', message: `Created MQTT credentials secret ${name}`, type: 'Normal', component: COMPONENT });
  }

  async function writeSummary(device: KubeObject): Promise<void> {
    const deviceStatus = statuses.get(device.metadata.namespace, device.metadata.name ?? '');
    // Paired by name, as KubeEdge pairs them; one owned by an earlier Device of that name is stale (GC removes it).
    const stale = deviceStatus?.metadata.ownerReferences?.some((ref) => ref.kind === 'Device' && ref.uid !== device.metadata.uid) === true;
    const own = stale ? undefined : deviceStatus;
    const summary = twinSummaryOf(device, own);
    if (summaryIsCurrent(device, summary)) return;
    await updateObject(ctx, deviceDefinition(ctx, 'devices'), {
      namespace: device.metadata.namespace,
      name: device.metadata.name ?? '',
      subresource: undefined,
      dryRun: false,
      // The uid is a precondition (a re-created Device is a new reconcile); the spec is the live one,
      // and no resourceVersion: a concurrent spec edit is retried by updateObject, not lost.
      mutate: (current) => ({ ...current, metadata: { ...current.metadata, uid: device.metadata.uid, resourceVersion: '' }, status: withSummary(current.status, twinSummaryOf(current, own)) }),
    });
  }

  async function reconcile(key: string): Promise<ReconcileOutcome> {
    const slash = key.indexOf('/');
    const device = devices.get(key.slice(0, slash), key.slice(slash + 1));
    if (device === undefined || device.metadata.deletionTimestamp !== undefined) return;
    await ensureCredentials(device);
    await writeSummary(device);
  }

  return queueControllerModule({
    name: COMPONENT,
    queue,
    logger,
    informers: [devices, statuses, secrets],
    subscribe: () => [
      devices.addHandler((e) => queue.add(keyOf(e.object))),
      statuses.addHandler((e) => queue.add(keyOf(e.object))),
      secrets.addHandler(onSecret),
    ],
    onSynced: () => {
      for (const device of devices.list()) queue.add(keyOf(device));
    },
    reconcile,
  });
}
