/**
 * The pod's Linux namespaces (kuberuntime_util.go namespacesForPod): network and IPC are the pod's
 * own unless hostNetwork / hostIPC; PID is each container's own (CONTAINER) unless hostPID (NODE)
 * or shareProcessNamespace (POD).
 */
import type { NamespaceOption } from '../cri/index.js';
import type { Pod } from './pod-schema.js';

export function podNamespaceOptions(pod: Pod): NamespaceOption {
  const { spec } = pod;
  return {
    network: spec.hostNetwork === true ? 'NODE' : 'POD',
    pid: spec.hostPID === true ? 'NODE' : spec.shareProcessNamespace === true ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC === true ? 'NODE' : 'POD',
  };
}
