import { fail, ok, type Result } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { LABELS } from '../podspec/index.js';

/**
 * Where the edge reaches a pod's ports from the host (docs/protocol.md R44): its ready sandbox's
 * IP on the pod bridge, or loopback for a hostNetwork pod, which shares the host's network.
 */
export async function podAddress(cri: CriClient, target: { namespace: string; name: string; uid: string }): Promise<Result<string>> {
  const listed = await cri.listPodSandbox({ labelSelector: { [LABELS.podUid]: target.uid }, state: { state: 'SANDBOX_READY' } });
  if (!listed.ok) return fail('Unavailable', `the container runtime does not answer: ${listed.message}`);
  const sandbox = listed.value[0];
  // kubelet's words (GetPortForward) for a pod it does not run.
  if (sandbox === undefined) return fail('NotFound', `pod not found (${JSON.stringify(`${target.name}_${target.namespace}`)})`);
  const status = await cri.podSandboxStatus(sandbox.id);
  if (!status.ok) return fail('Unavailable', `the container runtime does not answer: ${status.message}`);
  if (status.value.status.linux?.namespaces?.options?.network === 'NODE') return ok('127.0.0.1');
  const ip = status.value.status.network?.ip ?? '';
  if (ip === '') return fail('Unavailable', `the pod's sandbox ${sandbox.id} has no IP address`);
  return ok(ip);
}
