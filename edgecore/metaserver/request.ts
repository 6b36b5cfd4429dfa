import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeStore } from '../metamanager/index.js';
import type { ServedResource } from './served-resources.js';

/** One resource request, after routing and access checks. */
export interface ResourceCall {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  path: string;
  served: ServedResource;
  /** undefined: all namespaces (or a cluster-scoped kind). */
  namespace: string | undefined;
  name: string | undefined;
}

export interface ReadContext {
  store: EdgeStore;
  now: () => Date;
  bookmarkIntervalMs: number;
}
