/**
 * The few fields of a Pod that edged's own decisions read (restart policy, grace periods,
 * deletion, host network, container names and images). The full spec → CRI translation is
 * podspec's; this view keeps the sync logic independent of it and testable on its own.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../../shared/errors.js';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

const containerSchema = z.looseObject({
  name: z.string().min(1),
  image: z.string().default(''),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
});

const podSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).default('default'),
    uid: z.string().min(1),
    deletionTimestamp: z.string().optional(),
    deletionGracePeriodSeconds: z.number().int().nonnegative().optional(),
  }),
  spec: z.looseObject({
    containers: z.array(containerSchema).min(1),
    initContainers: z.array(containerSchema).optional(),
    ephemeralContainers: z.array(containerSchema.extend({ targetContainerName: z.string().optional() })).optional(),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).default('Always'),
    hostNetwork: z.boolean().default(false),
    terminationGracePeriodSeconds: z.number().int().nonnegative().optional(),
  }),
  status: z.looseObject({}).optional(),
});

export interface ContainerView {
  name: string;
  image: string;
  pullPolicy: PullPolicy;
}

export interface EphemeralContainerView extends ContainerView {
  /** The container whose PID namespace it joins, if any. */
  targetContainerName?: string;
}

export interface PodView {
  name: string;
  namespace: string;
  uid: string;
  deletionTimestamp?: string;
  /** Seconds to wait after SIGTERM before killing, for the pod's current situation. */
  deletionGracePeriodSeconds?: number;
  terminationGracePeriodSeconds: number;
  restartPolicy: RestartPolicy;
  hostNetwork: boolean;
  containers: ContainerView[];
  /** Run one at a time, in order, each to success, before the containers (classic init containers). */
  initContainers: ContainerView[];
  /** Added by `kubectl debug`: each started once in the running sandbox, never restarted (R47). */
  ephemeralContainers?: EphemeralContainerView[];
  /** The status the cloud holds for this pod (sent down with it), if any. */
  storedStatus?: Record<string, unknown>;
}

/** Kubernetes' defaulting (pkg/apis/core/v1/defaults.go): Always for `:latest` or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): PullPolicy {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return image.includes('@') ? 'IfNotPresent' : 'Always';
  return lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_SECONDS = 30;

function containerView(c: z.output<typeof containerSchema>): ContainerView {
  return { name: c.name, image: c.image, pullPolicy: c.imagePullPolicy ?? defaultPullPolicy(c.image) };
}

/** A container of the pod, init, regular or ephemeral, by name. */
export function containerByName(pod: Pick<PodView, 'containers' | 'initContainers' | 'ephemeralContainers'>, name: string): ContainerView | undefined {
  return pod.containers.find((c) => c.name === name) ?? pod.initContainers.find((c) => c.name === name) ?? pod.ephemeralContainers?.find((c) => c.name === name);
}

export function parsePodView(object: unknown): Result<PodView> {
  const parsed = podSchema.safeParse(object);
  if (!parsed.success) return fail('Invalid', `pod cannot be run: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { metadata, spec, status } = parsed.data;
  return ok({
    name: metadata.name,
    namespace: metadata.namespace,
    uid: metadata.uid,
    ...(metadata.deletionTimestamp === undefined ? {} : { deletionTimestamp: metadata.deletionTimestamp }),
    ...(metadata.deletionGracePeriodSeconds === undefined ? {} : { deletionGracePeriodSeconds: metadata.deletionGracePeriodSeconds }),
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS,
    restartPolicy: spec.restartPolicy,
    hostNetwork: spec.hostNetwork,
    containers: spec.containers.map(containerView),
    initContainers: (spec.initContainers ?? []).map(containerView),
    ephemeralContainers: (spec.ephemeralContainers ?? []).map((c) => ({
      ...containerView(c),
      ...(c.targetContainerName === undefined || c.targetContainerName === '' ? {} : { targetContainerName: c.targetContainerName }),
    })),
    ...(status === undefined ? {} : { storedStatus: status }),
  });
}

/**
 * kubelet's minimumGracePeriodInSeconds (kuberuntime_container.go): a kill always leaves the
 * process at least this long to exit after SIGTERM.
 */
const MINIMUM_GRACE_SECONDS = 2;

/** The grace to stop this pod's containers with: the deletion's if it is being deleted (kubelet killContainer). */
export function killGraceSeconds(pod: Pick<PodView, 'deletionTimestamp' | 'deletionGracePeriodSeconds' | 'terminationGracePeriodSeconds'> | undefined): number {
  if (pod === undefined) return MINIMUM_GRACE_SECONDS;
  const grace = pod.deletionTimestamp !== undefined && pod.deletionGracePeriodSeconds !== undefined ? pod.deletionGracePeriodSeconds : pod.terminationGracePeriodSeconds;
  return Math.max(grace, MINIMUM_GRACE_SECONDS);
}

/** kubelet's format.Pod: NAME_NAMESPACE(UID). */
export function formatPod(pod: Pick<PodView, 'name' | 'namespace' | 'uid'>): string {
  return `${pod.name}_${pod.namespace}(${pod.uid})`;
}
