/**
 * kubelet's log layout (kuberuntime_manager.go BuildPodLogsDirectory, buildContainerLogsPath):
 * `<logRoot>/<namespace>_<name>_<uid>/<container>/<restartCount>.log`. The sandbox carries the
 * pod folder as log_directory and each container its path relative to it.
 */
import path from 'node:path';
import type { Pod } from './pod-schema.js';

export function podLogDirectory(logRoot: string, pod: Pod): string {
  return path.join(logRoot, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

/** Relative to the sandbox's log_directory, with '/' as CRI expects on Linux. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return `${containerName}/${restartCount}.log`;
}
