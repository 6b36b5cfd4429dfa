import { queryBool } from './bool-param.js';

/**
 * Parses a request path into what it addresses, in the manner of the Kubernetes API server's
 * RequestInfoFactory: /api/v1/..., /apis/GROUP/VERSION/..., namespaced or not, with an optional
 * subresource. Paths that are not resource paths (discovery, /version, ...) have `isResource` false.
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RequestInfo {
  isResource: boolean;
  path: string;
  group: string;
  version: string;
  namespace: string | undefined;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
  verb: Verb | undefined;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is kept literally: the name then fails validation with a clear message.
    return segment;
  }
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResource: false,
    path,
    group: '',
    version: '',
    namespace: undefined,
    resource: '',
    name: undefined,
    subresource: undefined,
    verb: undefined,
  };
  const parts = path.split('/').filter((p) => p !== '').map(decode);
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    info.version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    info.group = parts[1] ?? '';
    info.version = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return info;
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  // /namespaces/{ns}/{resource}/... except the namespace object itself (/namespaces/{name}[/status]).
  // `status` and `finalize` after a namespace name are subresources of the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return info;
  info.isResource = true;
  info.resource = rest[0] ?? '';
  info.name = rest[1];
  info.subresource = rest[2];
  if (info.resource === 'namespaces' && info.namespace === undefined && info.name !== undefined) {
    // A namespace is addressed by its own name; requests on it are "in" that namespace for authz.
    info.namespace = info.name;
  }
  info.verb = verbFor(method, info.name !== undefined, legacyWatch || queryBool(query, 'watch'));
  return info;
}

function verbFor(method: string, hasName: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
