import type { KubeObject } from '../../../shared/k8s/types.js';
import { childObj, objArray, str, type Obj } from '../../../shared/k8s/object-access.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import type { ApiContext } from '../handlers/context.js';
import { createIfAbsent } from '../handlers/create-if-absent.js';
import { generateNameSuffix } from '../handlers/decode-object.js';
import { assertNamespaceWritable } from '../handlers/namespace-guard.js';

const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };
/** Where every container finds its token, CA and namespace (Kubernetes' DefaultAPITokenMountPath). */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** 1 h + 7 s: Kubernetes' WarnOnlyBoundTokenExpirationSeconds, which marks the volume's token. */
export const TOKEN_VOLUME_EXPIRATION_SECONDS = 3607;

/** The projected volume Kubernetes' ServiceAccount plugin adds (TokenVolumeSource), field by field. */
export function tokenVolume(name: string): Obj {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_VOLUME_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/**
 * Kubernetes' ServiceAccount admission plugin for a new pod (plugin/pkg/admission/serviceaccount),
 * after the strategy has defaulted `spec.serviceAccountName` to `default`: the service account must
 * exist (403 otherwise, with Kubernetes' message), and unless the pod or its service account turns
 * automounting off, every container and init container gets the `kube-api-access-xxxxx` projected
 * volume at SERVICE_ACCOUNT_MOUNT_PATH (docs/service-accounts.md § Pod admission).
 *
 * The service account is read from the store, not an informer, so one made a moment ago counts; a
 * namespace's `default` that the controller has not made yet is made here, so a pod created right
 * after its namespace is admitted.
 */
export async function admitPodServiceAccount(ctx: ApiContext, pod: KubeObject): Promise<void> {
  if (typeof pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === 'string') return;
  // NamespaceLifecycle runs first in Kubernetes: a missing or terminating namespace answers for itself.
  await assertNamespaceWritable(ctx, pod, { group: '', resource: 'pods' });
  const spec = childObj(pod, 'spec');
  const namespace = pod.metadata.namespace ?? 'default';
  const name = str(spec.serviceAccountName) === '' ? 'default' : str(spec.serviceAccountName);
  const serviceAccount = await findServiceAccount(ctx, namespace, name);
  if (serviceAccount === undefined) {
    const podName = pod.metadata.name ?? '';
    const subject = podName === '' ? 'pods' : `pods "${podName}"`;
    throw errors.forbiddenMessage(`${subject} is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`, {
      group: '',
      resource: 'pods',
      ...(podName === '' ? {} : { name: podName }),
    });
  }
  if (!shouldAutomount(spec, serviceAccount)) return;
  mountServiceAccountToken(spec);
}

async function findServiceAccount(ctx: ApiContext, namespace: string, name: string): Promise<KubeObject | undefined> {
  const def = ctx.registry.get(SERVICE_ACCOUNTS.group, SERVICE_ACCOUNTS.version, SERVICE_ACCOUNTS.resource);
  if (def === undefined) return undefined;
  const found = await ctx.objects.get(def, namespace, name);
  if (found !== undefined || name !== 'default') return found;
  const outcome = await createIfAbsent(ctx, def, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  return outcome.created ? outcome.object : ctx.objects.get(def, namespace, name);
}

/** The pod's own setting wins, then the service account's; the default is to mount. */
function shouldAutomount(spec: Obj, serviceAccount: KubeObject): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  const fromAccount = serviceAccount.automountServiceAccountToken;
  return typeof fromAccount === 'boolean' ? fromAccount : true;
}

/** As the plugin's mountServiceAccountToken: a container with its own mount at the path keeps it. */
function mountServiceAccountToken(spec: Obj): void {
  const volumes = objArray(spec.volumes);
  const existing = volumes.find((v) => str(v.name).startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing !== undefined ? str(existing.name) : `${TOKEN_VOLUME_PREFIX}${generateNameSuffix()}`;
  let needsVolume = false;
  for (const container of [...objArray(spec.initContainers), ...objArray(spec.containers)]) {
    const mounts = objArray(container.volumeMounts);
    if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    container.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
    needsVolume = true;
  }
  if (existing === undefined && needsVolume) spec.volumes = [...volumes, tokenVolume(volumeName)];
}
