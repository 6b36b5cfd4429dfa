/**
 * The labels and annotations edged puts on the sandboxes and containers it creates. Names under
 * io.kubernetes.* are kubelet's own (pkg/kubelet/types/labels.go, kuberuntime/labels.go), so tools
 * that know kubelet's layout (crictl, log shippers) read ours unchanged; outpost.dev/* are ours.
 */
export const LABELS = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** Value MANAGED_BY_VALUE on every sandbox and container edged creates: GC removes only what carries it. */
  managedBy: 'outpost.dev/managed-by',
  /** containerSpecHash of the spec a container was created from (a label, so PLEG can filter on it). */
  containerHash: 'outpost.dev/container-hash',
} as const;

/** The value of LABELS.managedBy. */
export const MANAGED_BY_VALUE = 'edged';

/**
 * Annotations that let edged stop a container correctly when the pod object is gone (deleted
 * while offline, or edged restarted), as kubelet's killContainer reads them back
 * (kuberuntime/labels.go getContainerInfoFromAnnotations).
 */
export const ANNOTATIONS = {
  /** On containers: the restart count (decimal) the container was created with, so the next attempt numbers on. */
  restartCount: 'io.kubernetes.container.restartCount',
  /** On sandboxes and containers: spec.terminationGracePeriodSeconds (decimal), only when the pod sets it. */
  terminationGracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
  /** On containers: metadata.deletionGracePeriodSeconds (decimal), only when the pod was being deleted at creation. */
  podDeletionGracePeriod: 'io.kubernetes.pod.deletionGracePeriod',
  /** On containers: JSON of container.ports, only when it has ports (kubelet's io.kubernetes.container.ports). */
  containerPorts: 'io.kubernetes.container.ports',
  /** On containers: container.terminationMessagePath (default /dev/termination-log). */
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  /** On containers: container.terminationMessagePolicy (default File). */
  terminationMessagePolicy: 'io.kubernetes.container.terminationMessagePolicy',
  /** On containers: JSON of lifecycle.preStop, only when set, so a stop without the pod can still run it. */
  preStopHandler: 'io.kubernetes.container.preStopHandler',
} as const;
