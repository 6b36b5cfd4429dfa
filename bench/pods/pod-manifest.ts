/**
 * The pod the benchmark starts: one busybox container that stays up. Its shell traps SIGTERM
 * (a PID 1 without a handler ignores TERM, so every delete would wait out the kill grace) and
 * sleeps in the background, so deletions between batches are quick. Start time is unaffected.
 */
export const BENCH_IMAGE = 'outpost.local/busybox:1';
export const BENCH_COMMAND = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];
export const RUN_LABEL = 'bench.outpost.dev/run';

export function namespaceBody(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [RUN_LABEL]: 'pods' } } });
}

/** The pod as created through the cloud API: bound to the edge directly (there is no scheduler). */
export function benchPodObject(name: string, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench-pods', [RUN_LABEL]: 'pods' } },
    spec: {
      nodeName,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: BENCH_IMAGE, imagePullPolicy: 'IfNotPresent', command: BENCH_COMMAND }],
    },
  };
}

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

export function podPath(namespace: string, name: string): string {
  return `${podsPath(namespace)}/${encodeURIComponent(name)}`;
}

/** DeleteOptions with grace 0: the API removes the pod at once and the edge tears it down. */
export const DELETE_NOW_BODY = JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
