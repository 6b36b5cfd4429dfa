import type { HttpCase } from './api-bodies.js';
import { CONTROL_NAMESPACE, FUZZ_NAMESPACE, SEED_NAMES, WIDGET_GROUP } from './api-objects.js';
import type { Prng } from './prng.js';
import { asciiWord, NUMBER_LIKE_TEXT, percentEncode, randomString } from './values.js';

/**
 * Random query strings, paths and methods: list, watch, get, delete, patch and the rest with
 * every parameter the API reads (and some it does not), values at and past their edges, broken
 * percent-encoding, repeated parameters. Reads may go anywhere; anything that could write goes
 * under FUZZ_NAMESPACE only, so CONTROL_NAMESPACE stays as it was.
 */
const READ_METHODS = ['GET', 'GET', 'GET', 'GET', 'HEAD', 'OPTIONS'];
const WRITE_METHODS = ['DELETE', 'DELETE', 'PATCH', 'PUT', 'POST', 'PROPFIND', 'TRACE'];

const RESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['/api/v1', 'pods'], ['/api/v1', 'configmaps'], ['/api/v1', 'secrets'], ['/api/v1', 'events'], ['/api/v1', 'services'], ['/api/v1', 'serviceaccounts'],
  ['/apis/apps/v1', 'deployments'], ['/apis/apps/v1', 'replicasets'], ['/apis/apps/v1', 'daemonsets'], ['/apis/batch/v1', 'jobs'],
  ['/apis/coordination.k8s.io/v1', 'leases'], [`/apis/${WIDGET_GROUP}/v1`, 'widgets'], ['/apis/events.k8s.io/v1', 'events'], ['/apis/rbac.authorization.k8s.io/v1', 'roles'],
];
const CLUSTER_PATHS = [
  '/api/v1/namespaces', '/api/v1/nodes', '/api/v1/pods', '/api/v1/configmaps', '/apis/apps/v1/deployments', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${WIDGET_GROUP}`, '/api', '/apis', '/api/v1', '/apis/apps/v1', '/apis/apps', '/version', '/healthz', '/readyz',
  '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1', '/api/v1/watch/pods', '/api/v1/watch/namespaces/fuzz/configmaps', `/apis/${WIDGET_GROUP}/v1/widgets`,
];
const SUBRESOURCES = ['status', 'log', 'binding', 'scale', 'eviction', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers', 'bogus', ''];

function segment(prng: Prng, safe: boolean): string {
  if (safe) return asciiWord(prng, prng.range(1, 30));
  return prng.pick([asciiWord(prng, prng.range(0, 40)), percentEncode(randomString(prng, 40)), '..', '.', '%', '%zz', '%00', '%2F', '%2e%2e', ';x', '~', 'x'.repeat(300), '']);
}

function randomPath(prng: Prng, write: boolean): string {
  const namespace = write ? FUZZ_NAMESPACE : prng.pick([FUZZ_NAMESPACE, CONTROL_NAMESPACE, 'default', 'kube-system', 'nope', segment(prng, false)]);
  const shape = prng.int(write ? 4 : 6);
  const [prefix, resource] = prng.pick(RESOURCES);
  const name = prng.chance(0.6) ? prng.pick(SEED_NAMES) : segment(prng, write);
  const namespaced = `${prefix}/namespaces/${namespace}/${prng.chance(0.9) ? resource : segment(prng, write)}`;
  switch (shape) {
    case 0: return namespaced;
    case 1: return `${namespaced}/${name}`;
    case 2: return `${namespaced}/${name}/${prng.pick(SUBRESOURCES)}`;
    case 3: return write ? `${namespaced}/${name}/${segment(prng, true)}/${segment(prng, true)}` : `/${Array.from({ length: prng.range(0, 8) }, () => segment(prng, false)).join('/')}`;
    case 4: return prng.pick(CLUSTER_PATHS) + (prng.chance(0.3) ? `/${segment(prng, false)}` : '');
    default: return `${prefix}/watch/namespaces/${namespace}/${resource}` + (prng.chance(0.3) ? `/${name}` : '');
  }
}

const SELECTOR_PARTS = ['app=fuzz', 'app==fuzz', 'app!=x', 'tier in (a,b)', 'tier notin (a)', '!gone', 'app', 'a in ()', 'in in (in)', '=', '!', ',', 'a=b=c', '(x)', 'k'.repeat(70) + '=v', 'app=' + 'v'.repeat(70)];
const FIELD_PARTS = ['metadata.name=seed-0', 'metadata.namespace=fuzz', 'spec.nodeName=nowhere', 'status.phase!=Running', 'type=Opaque', 'involvedObject.kind=Pod', 'spec.unknown=x', 'metadata.name', '==', 'metadata.name=a,metadata.name=b'];

function selector(prng: Prng, parts: readonly string[]): string {
  return Array.from({ length: prng.range(1, 4) }, () => (prng.chance(0.8) ? prng.pick(parts) : randomString(prng, 30))).join(prng.chance(0.9) ? ',' : prng.pick([';', '&&', ' ', '']));
}

function integerish(prng: Prng): string {
  return prng.weighted<() => string>([[3, () => String(prng.range(0, 600))], [2, () => prng.pick(NUMBER_LIKE_TEXT)], [1, () => String(-prng.range(1, 100))], [1, () => randomString(prng, 12)]])();
}

const PARAMETERS: Record<string, (prng: Prng) => string> = {
  labelSelector: (prng) => selector(prng, SELECTOR_PARTS),
  fieldSelector: (prng) => selector(prng, FIELD_PARTS),
  limit: integerish,
  continue: (prng) => prng.pick([Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: prng.range(0, 1e6), start: asciiWord(prng, 8) })).toString('base64'), randomString(prng, 80), 'eyJ9', '']),
  resourceVersion: (prng) => prng.pick(['0', '', String(prng.range(1, 5000)), '999999999999', integerish(prng)]),
  resourceVersionMatch: (prng) => prng.pick(['NotOlderThan', 'Exact', 'exact', '', randomString(prng, 10)]),
  timeoutSeconds: (prng) => prng.pick(['0', '1', '2147483648', integerish(prng)]),
  watch: (prng) => prng.pick(['true', '1', 'false', '0', 'yes', '']),
  allowWatchBookmarks: (prng) => prng.pick(['true', 'false', 'x']),
  sendInitialEvents: (prng) => prng.pick(['true', 'false', 'x']),
  dryRun: (prng) => prng.pick(['All', 'all', 'None', '', randomString(prng, 10)]),
  fieldManager: (prng) => randomString(prng, 140),
  fieldValidation: (prng) => prng.pick(['Strict', 'Warn', 'Ignore', '']),
  propagationPolicy: (prng) => prng.pick(['Foreground', 'Background', 'Orphan', 'foreground', '', randomString(prng, 10)]),
  gracePeriodSeconds: integerish,
  orphanDependents: (prng) => prng.pick(['true', 'false', 'x']),
  force: (prng) => prng.pick(['true', 'false', 'x']),
  pretty: (prng) => prng.pick(['true', 'false', '1']),
  includeObject: (prng) => prng.pick(['Object', 'Metadata', 'None', 'x']),
  container: (prng) => prng.pick(['c', '', randomString(prng, 20)]),
  follow: (prng) => prng.pick(['true', 'false']),
  previous: (prng) => prng.pick(['true', 'false']),
  tailLines: integerish,
  sinceSeconds: integerish,
  sinceTime: (prng) => prng.pick(['2026-01-01T00:00:00Z', 'yesterday', '']),
  limitBytes: integerish,
  command: (prng) => randomString(prng, 20),
};
const PARAMETER_NAMES = Object.keys(PARAMETERS);

function queryString(prng: Prng): string {
  const params: string[] = [];
  for (let n = prng.range(0, 5); n > 0; n--) {
    const name = prng.chance(0.9) ? prng.pick(PARAMETER_NAMES) : randomString(prng, 16);
    const value = (PARAMETERS[name] ?? ((p: Prng) => randomString(p, 20)))(prng);
    const encoded = prng.chance(0.9) ? percentEncode(value) : value.replace(/[#\s]/g, '+');
    params.push(prng.chance(0.05) ? name : `${percentEncode(name)}=${encoded}`);
  }
  if (prng.chance(0.05)) params.push(prng.pick(['%', '%zz', '&&&', '=', '==x', 'a=%E0%A4%A']));
  return params.length > 0 || prng.chance(0.1) ? `?${params.join('&')}` : '';
}

/** One fuzz request: a path, a query string, a method, and for writes a small body. */
export function queryCase(prng: Prng): HttpCase {
  const write = prng.chance(0.2);
  const method = prng.pick(write ? WRITE_METHODS : READ_METHODS);
  const path = randomPath(prng, write) + queryString(prng);
  const headers: Record<string, string> = {};
  if (prng.chance(0.2)) headers.Accept = prng.pick(['application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf', 'application/yaml', '*/*', 'text/html', randomString(prng, 30).replace(/[^\x20-\x7e]/g, '')]);
  let body: Buffer | undefined;
  if (write && method !== 'DELETE' && prng.chance(0.7)) {
    headers['Content-Type'] = prng.pick(['application/json', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'text/plain']);
    body = Buffer.from(prng.pick(['{}', '[]', '', 'null', '{"metadata":{"labels":{"q":"1"}}}', '[{"op":"add","path":"/metadata/labels/q","value":"1"}]']));
  } else if (method === 'DELETE' && prng.chance(0.3)) {
    headers['Content-Type'] = 'application/json';
    body = Buffer.from(JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: prng.pick(['Background', 'Orphan', 'x']), gracePeriodSeconds: prng.pick([0, -1, 30, 1e20]) }));
  }
  return { method, path, headers, ...(body !== undefined ? { body } : {}), label: `${method} ${path.slice(0, 160)}` };
}
