/**
 * The images an edge needs without any registry, built locally from the busybox-static binary.
 * Names are fully qualified with a dotted domain: containerd normalises short names to
 * docker.io/library/... (docs/containerd-cri.md).
 */
export const BUSYBOX_IMAGE = 'outpost.local/busybox:1';
export const PAUSE_IMAGE = 'outpost.local/pause:1';

export interface ImageRecipe {
  /** Fully qualified reference, e.g. outpost.local/busybox:1. */
  ref: string;
  /** File name stem of the cached archive. */
  archiveName: string;
  entrypoint: string[];
  cmd: string[];
  env: string[];
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** busybox with every applet linked, so `sh -c`, `busybox httpd`, `sleep` … work as commands. */
export const BUSYBOX_RECIPE: ImageRecipe = {
  ref: BUSYBOX_IMAGE,
  archiveName: 'busybox',
  entrypoint: [],
  cmd: ['sh'],
  env: [PATH_ENV],
};

/**
 * The sandbox (pause) image. Its PID 1 must exit 0 on SIGTERM/SIGINT: a PID 1 without a handler
 * ignores TERM and StopPodSandbox would wait its whole timeout (docs/containerd-cri.md). The
 * trap is the handler; `wait` on a background sleep returns as soon as a signal arrives.
 */
export const PAUSE_RECIPE: ImageRecipe = {
  ref: PAUSE_IMAGE,
  archiveName: 'pause',
  entrypoint: ['/bin/sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done"],
  cmd: [],
  env: [PATH_ENV],
};

/** Splits a reference into repository and tag ("outpost.local/busybox:1" → [repo, "1"]). */
export function splitReference(ref: string): { repository: string; tag: string } | undefined {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash || colon === ref.length - 1) return undefined;
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}
