import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../shared/logging.js';
import type { ServiceIpAllocator } from '../admission/service-ip-allocator.js';
import type { UserInfo } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import type { RequestInfo } from '../../../shared/apimachinery/endpoints/request-info.js';
import type { ResourceDefinition } from '../kinds/types.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ObjectStore } from '../registry/object-store.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';

/** What every handler shares: the object store, the served resources, a clock and a logger. */
export interface ApiContext {
  objects: ObjectStore;
  registry: ResourceRegistry;
  logger: Logger;
  now: () => Date;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK event. */
  bookmarkIntervalMs: number;
  /** Hands out Service cluster IPs; absent in unit tests that create no Services. */
  serviceIps?: ServiceIpAllocator;
  /**
   * The API's authorizer, for checks a handler makes beyond the request's own (approving a
   * CertificateSigningRequest needs `approve` on its signer); absent means admin only.
   */
  authorize?: Authorizer;
  /** Checks a user's write before it is stored (RBAC's escalation check); in-process writers carry no user and skip it. */
  admitWrite?: WriteAdmission;
}

/** One write a user asks for: the object as it would be stored, and the stored one it replaces. */
export interface WriteAttempt {
  user: UserInfo;
  def: ResourceDefinition;
  object: KubeObject;
  old: KubeObject | undefined;
}

/** Throws an ApiError (403, 404) to refuse the write. */
export type WriteAdmission = (attempt: WriteAttempt) => void;

/** One resource request, after authentication and authorization. */
export interface ResourceRequest {
  ctx: ApiContext;
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  def: ResourceDefinition;
  user: UserInfo;
  query: URLSearchParams;
}
