/**
 * Runs one probe or hook handler against one container instance: ports by number or by the
 * container's port name (kubelet's probe.ResolveContainerPort), the host the pod's IP unless the
 * handler names one (for hostNetwork pods the pod IP is the node's).
 */
import { errored, type CheckOutcome } from './check-result.js';
import { execCheck, type ExecSync } from './exec-check.js';
import { grpcCheck } from './grpc-check.js';
import { httpCheck, probeHeaders } from './http-check.js';
import type { HookHandler, PortRef, ProbeHandler } from './probe-spec.js';
import { hostPort, tcpCheck } from './tcp-check.js';

export interface CheckTarget {
  containerId: string;
  /** The pod's IP (the node's for hostNetwork pods); '' when it has none yet. */
  podIP: string;
  /** The container's ports: name → containerPort. */
  ports: readonly { name?: string | undefined; containerPort: number }[];
}

/** How checks reach the world; injectable so that the prober runs against fakes in tests. */
export interface CheckRunners {
  exec: ExecSync;
  http(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<CheckOutcome>;
  tcp(host: string, port: number, timeoutMs: number): Promise<CheckOutcome>;
  grpc(host: string, port: number, service: string, timeoutMs: number): Promise<CheckOutcome>;
}

export function realRunners(execSync: ExecSync): CheckRunners {
  return { exec: execSync, http: httpCheck, tcp: tcpCheck, grpc: grpcCheck };
}

export function resolvePort(port: PortRef, target: CheckTarget): { ok: true; port: number } | { ok: false; message: string } {
  let value: number | undefined;
  if (typeof port === 'number') value = port;
  else value = target.ports.find((p) => p.name === port)?.containerPort;
  if (value === undefined) return { ok: false, message: `couldn't find port: ${port} in container` };
  if (!Number.isInteger(value) || value < 1 || value > 65535) return { ok: false, message: `invalid port number: ${value}` };
  return { ok: true, port: value };
}

export async function runCheck(runners: CheckRunners, handler: ProbeHandler | HookHandler, target: CheckTarget, timeoutSeconds: number): Promise<CheckOutcome> {
  switch (handler.kind) {
    case 'exec':
      return execCheck(runners.exec, target.containerId, handler.command, timeoutSeconds);
    case 'httpGet':
    case 'tcpSocket': {
      const port = resolvePort(handler.port, target);
      if (!port.ok) return errored(port.message);
      const host = handler.host ?? target.podIP;
      if (host === '') return errored('the pod has no IP address yet');
      if (handler.kind === 'tcpSocket') return runners.tcp(host, port.port, timeoutSeconds * 1000);
      const url = new URL(`${handler.scheme.toLowerCase()}://${hostPort(host, port.port)}`);
      // Path and query are kept as written (kubelet builds the URL from them unescaped).
      const [path = '/', query] = handler.path.split('?', 2);
      url.pathname = path;
      if (query !== undefined) url.search = `?${query}`;
      return runners.http(url, probeHeaders(handler.headers), timeoutSeconds * 1000);
    }
    case 'grpc': {
      // kubelet dials the pod's IP; the gRPC action has no host field.
      if (target.podIP === '') return errored('the pod has no IP address yet');
      const port = resolvePort(handler.port, target);
      if (!port.ok) return errored(port.message);
      return runners.grpc(target.podIP, port.port, handler.service ?? '', timeoutSeconds * 1000);
    }
    case 'sleep':
      // Unref'd: a hook still sleeping never keeps edgecore alive; the hook runner bounds it by the grace period.
      return new Promise((resolve) => setTimeout(() => resolve({ result: 'success', output: '' }), handler.seconds * 1000).unref());
  }
}
