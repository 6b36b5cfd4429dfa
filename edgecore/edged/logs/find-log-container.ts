/**
 * Which container instance a log request reads, from the runtime itself (labels
 * io.kubernetes.pod.uid and io.kubernetes.container.name), with kubelet's answers
 * (kubelet_pods.go validateContainerLogStatus):
 * - the current logs are the newest instance's;
 * - `previous` is the last terminated instance: the one before the newest when the newest was
 *   created (it runs, or is about to), the newest itself when it has exited and waits for its
 *   restart (kubelet's lastState during a back-off). edged's prune always keeps that one.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { ContainerState, CriClient } from '../cri/index.js';
import { LABELS } from '../podspec/index.js';

export interface LogContainer {
  id: string;
  logPath: string;
  state: ContainerState;
}

export interface LogTarget {
  uid: string;
  namespace: string;
  name: string;
  container: string;
  previous: boolean;
}

export async function findLogContainer(cri: CriClient, target: LogTarget): Promise<Result<LogContainer>> {
  const listed = await cri.listContainers({ labelSelector: { [LABELS.podUid]: target.uid, [LABELS.containerName]: target.container } });
  if (!listed.ok) return fail('Unavailable', `the container runtime does not answer: ${listed.message}`);
  const instances: Array<LogContainer & { createdAt: bigint }> = [];
  for (const item of listed.value) {
    const status = await cri.containerStatus(item.id);
    if (!status.ok && status.code === 'NotFound') continue;
    if (!status.ok) return fail('Unavailable', `the container runtime does not answer: ${status.message}`);
    const s = status.value.status;
    instances.push({ id: s.id, logPath: s.logPath, state: s.state, createdAt: s.createdAt });
  }
  instances.sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt > b.createdAt ? -1 : 1));
  const newest = instances[0];
  if (target.previous) {
    const last = newest?.state === 'CONTAINER_EXITED' ? newest : instances[1];
    if (last === undefined || last.state !== 'CONTAINER_EXITED') return fail('BadRequest', `previous terminated container "${target.container}" in pod "${target.name}" not found`);
    return withLog(last, target);
  }
  if (newest === undefined) return fail('BadRequest', `container "${target.container}" in pod "${target.name}" is waiting to start: ContainerCreating`);
  return withLog(newest, target);
}

function withLog(container: LogContainer & { createdAt: bigint }, target: LogTarget): Result<LogContainer> {
  if (container.logPath === '') return fail('NotFound', `container "${target.container}" in pod "${target.name}" has no log file`);
  return ok({ id: container.id, logPath: container.logPath, state: container.state });
}
