/**
 * shared/apimachinery: what both API servers (cloudcore's apiserver and edgecore's MetaServer)
 * share, as Kubernetes shares k8s.io/apimachinery and k8s.io/apiserver between its servers.
 *
 * - errors/     metav1.Status errors (ApiError, `errors.notFound(...)`), as kubectl prints them.
 * - endpoints/  request handling: request info from the path, JSON responses, the one parser of
 *               list and watch query parameters (empty values are unset, as Go's conversion
 *               does), the one continue-token format, label/field filters, server-side tables.
 * - discovery/  aggregated and legacy discovery documents and /version, for any served set.
 * - resources/  ResourceInfo (names, table, selectable fields) and the built-in kinds' info;
 *               the write strategies (defaulting, validation, scale) stay in cloudcore/.
 *
 * Import from the sub-folders' index files; this file only re-exports their types.
 */
export type { DiscoverySource, DocumentOptions } from './discovery/index.js';
export type {
  ContinueToken,
  IncludeObject,
  ListParams,
  ObjectFilter,
  RequestInfo,
  SelectorParams,
  TableVersion,
  Verb,
  WatchParams,
} from './endpoints/index.js';
export type { Status, StatusCause, Target } from './errors/index.js';
export type { ResourceInfo, TableCell, TableColumn, TableSpec } from './resources/index.js';
