import type { ChildProcess } from 'node:child_process';
import { stringify } from 'yaml';
import { waitFor } from './poll.js';

/**
 * Shared pieces of the real-kubectl end-to-end files: manifests as kubectl reads them from stdin,
 * and a reader for long-running kubectl processes (`get -w`, a `delete` that waits).
 */

/** Several objects as one multi-document YAML stream, the way `kubectl apply -f -` reads them. */
export function manifest(...objects: Record<string, unknown>[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

export function namespaceObject(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function configMapObject(namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

export function podObject(
  namespace: string,
  name: string,
  options: { image?: string; labels?: Record<string, string>; nodeName?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? { app: name } },
    spec: {
      ...(options.nodeName === undefined ? {} : { nodeName: options.nodeName }),
      containers: [{ name: 'main', image: options.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }],
    },
  };
}

export function deploymentObject(
  namespace: string,
  name: string,
  options: { replicas?: number; image?: string; sidecarImage?: string } = {},
): Record<string, unknown> {
  const containers: Record<string, unknown>[] = [{ name: 'web', image: options.image ?? 'nginx:1.27', ports: [{ containerPort: 80 }] }];
  if (options.sidecarImage !== undefined) containers.push({ name: 'sidecar', image: options.sidecarImage });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}

/** A Node as an edge agent would register it, status included, so `describe node` has content. */
export function nodeObject(name: string): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/edge': '' } },
    spec: { podCIDR: '10.42.7.0/24' },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'EdgeReady', message: 'edge agent is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now },
      ],
      addresses: [
        { type: 'InternalIP', address: '192.168.50.7' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        machineID: 'm-1', systemUUID: 'u-1', bootID: 'b-1', kernelVersion: '6.1.0-edge', osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://1.7.20', kubeletVersion: 'v1.32.0-outpost', kubeProxyVersion: '',
        operatingSystem: 'linux', architecture: 'arm64',
      },
    },
  };
}

/** The heartbeat Lease an edge agent keeps in kube-node-lease, which `describe node` shows. */
export function nodeLeaseObject(name: string): Record<string, unknown> {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
  };
}

export interface ProcessOutput {
  /** stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with stdout once it matches, or rejects (with the output) after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** Stops the process (SIGTERM), if it still runs. */
  kill(): void;
}

/** Follows a spawned kubectl's output, so tests can wait for lines instead of sleeping. */
export function followOutput(child: ChildProcess): ProcessOutput {
  let out = '';
  let err = '';
  let done = false;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
    kill: () => {
      if (!done) child.kill('SIGTERM');
    },
    async waitFor(pattern, timeoutMs = 20_000) {
      // kubectl exiting before it printed the pattern ends the wait at once.
      const exitedFirst = new AbortController();
      void exited.then(() => exitedFirst.abort(new Error(`kubectl exited before printing ${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`)));
      try {
        await waitFor(() => pattern.test(out), {
          timeoutMs,
          intervalMs: 50,
          description: () => `${String(pattern)}\nstdout:\n${out}\nstderr:\n${err}`,
          signal: exitedFirst.signal,
        });
      } catch (error) {
        // kubectl may print the pattern and exit between two checks: its full output decides.
        if (!(done && pattern.test(out))) throw error;
      }
      return out;
    },
  };
}

/** Polls until `check` returns true, for state that changes in the background (a controller's work). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(check, { timeoutMs, intervalMs: 100, description: what });
}
