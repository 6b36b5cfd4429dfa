import { errors } from '../errors/status.js';
import { queryBool } from './bool-param.js';
import { decodeContinue, type ContinueToken } from './continue-token.js';
import { NON_NEGATIVE_INT64, parseIntegerParam, UINT64 } from './integer-param.js';
import type { IncludeObject } from './table.js';

/**
 * The query parameters of list and watch requests, parsed in one place for both API servers, as
 * the apiserver decodes them into metav1.ListOptions. Go's url.Values conversion treats an empty
 * value (`timeoutSeconds=`, `limit=`) as unset, so do we.
 */
export interface SelectorParams {
  labelSelector: string;
  fieldSelector: string;
  includeObject: IncludeObject;
}

export interface ListParams extends SelectorParams {
  /** 0: no limit. */
  limit: number;
  continueToken: ContinueToken | undefined;
}

export interface WatchParams extends SelectorParams {
  /** 0: unset or "0", i.e. start with the current state. */
  resourceVersion: number;
  /** 0: no timeout. */
  timeoutSeconds: number;
  allowWatchBookmarks: boolean;
}

/** A watch that does not say how long it wants ends after this long. */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = 1800;

/**
 * A longer timeoutSeconds is cut to this: Node's timers hold at most 2^31-1 ms, and a longer
 * delay would fire at once (docs/limits.md § API, "Query parameters").
 */
export const MAX_WATCH_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A parameter's value, or undefined when absent or empty (Go's conversion of "" leaves it unset). */
function valueOf(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function parseSelectorParams(query: URLSearchParams): SelectorParams {
  return {
    labelSelector: query.get('labelSelector') ?? '',
    fieldSelector: query.get('fieldSelector') ?? '',
    includeObject: includeObjectOf(query),
  };
}

export function parseListParams(query: URLSearchParams): ListParams {
  const limitText = valueOf(query, 'limit');
  const limit = limitText === undefined ? 0 : parseIntegerParam('limit', limitText, NON_NEGATIVE_INT64);
  const continueText = valueOf(query, 'continue');
  return { ...parseSelectorParams(query), limit, continueToken: continueText === undefined ? undefined : decodeContinue(continueText) };
}

export function parseWatchParams(query: URLSearchParams): WatchParams {
  const rvText = valueOf(query, 'resourceVersion');
  if (rvText !== undefined && !/^\d+$/.test(rvText)) throw errors.badRequest(`invalid resourceVersion ${JSON.stringify(rvText)}`);
  const resourceVersion = rvText === undefined ? 0 : parseIntegerParam('resourceVersion', rvText, UINT64);
  const timeoutText = valueOf(query, 'timeoutSeconds');
  const timeoutSeconds = timeoutText === undefined ? DEFAULT_WATCH_TIMEOUT_SECONDS : parseIntegerParam('timeoutSeconds', timeoutText, NON_NEGATIVE_INT64);
  return {
    ...parseSelectorParams(query),
    resourceVersion,
    timeoutSeconds: Math.min(timeoutSeconds, MAX_WATCH_TIMEOUT_SECONDS),
    allowWatchBookmarks: queryBool(query, 'allowWatchBookmarks'),
  };
}
