import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestInfo } from '../../shared/apimachinery/endpoints/request-info.js';

/**
 * Request metrics named and labelled as kube-apiserver's (docs/kubectl.md § Metrics), so
 * dashboards carry over: verb, group, version, resource, subresource, scope, component, code.
 */
const REQUEST_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
type RequestLabel = (typeof REQUEST_LABELS)[number];
export type RequestLabels = Record<RequestLabel, string>;

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<RequestLabel | 'code'>;
  latency: Histogram<RequestLabel>;
  /** Open watches and streams (logs, exec): kube-apiserver's apiserver_longrunning_requests. */
  longRunning: Gauge<RequestLabel>;
}

/** kube-apiserver's long-running requests: watches, and these subresources (its longRunningRequestCheck). */
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

export function isLongRunning(info: Pick<RequestInfo, 'verb' | 'subresource'>): boolean {
  return info.verb === 'watch' || (info.subresource !== undefined && LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}

/** Subresources a label may name: any other path segment is the client's text, not a label value. */
const KNOWN_SUBRESOURCES = new Set([...LONG_RUNNING_SUBRESOURCES, 'status', 'scale', 'binding', 'eviction', 'ephemeralcontainers', 'resize', 'token', 'approval', 'finalize']);

/**
 * The labels of one request; `verb` as the request info names it (list, watch, get, create …).
 * `served` tells whether the path names a resource the server has: only then do group, version,
 * resource and subresource become label values, so that no client can grow the metrics without
 * bound with made-up paths (docs/limits.md § API).
 */
export function requestLabels(info: RequestInfo | undefined, verb: string, served = true): RequestLabels {
  if (!served || (info?.subresource !== undefined && !KNOWN_SUBRESOURCES.has(info.subresource))) info = undefined;
  const scope = info?.name !== undefined ? 'resource' : info?.namespace !== undefined ? 'namespace' : 'cluster';
  return {
    verb,
    group: info?.group ?? '',
    version: info?.version ?? '',
    resource: info?.resource ?? '',
    subresource: info?.subresource ?? '',
    scope: info?.isResource === true ? scope : '',
    component: 'apiserver',
  };
}

/** Counts a long-running request as open until `closable` closes (the response, or an upgraded socket). */
export function trackLongRunning(metrics: ApiMetrics, labels: RequestLabels, closable: { once(event: 'close', listener: () => void): unknown }): void {
  metrics.longRunning.inc(labels);
  closable.once('close', () => metrics.longRunning.dec(labels));
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, group, version, resource, subresource, scope, component, and HTTP response code.',
    labelNames: [...REQUEST_LABELS, 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component (watches excluded)',
    labelNames: REQUEST_LABELS,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Gauge of all active long-running apiserver requests (watches, logs, exec) broken out by verb, group, version, resource, subresource, scope and component.',
    labelNames: REQUEST_LABELS,
    registers: [registry],
  });
  return { registry, requests, latency, longRunning };
}
