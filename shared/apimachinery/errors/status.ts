import { fieldErrorMessage, type FieldError } from '../../k8s/field-errors.js';

/**
 * metav1.Status errors, shaped so that kubectl prints its standard messages
 * (`Error from server (NotFound): pods "web" not found`). See docs/kubectl.md § Errors.
 */
export interface StatusCause {
  /** Go's `type`, omitted when empty (NewInternalError's cause has only a message). */
  reason?: string;
  message: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An API error: thrown inside handlers and turned into a Status response at the edge. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
}

/**
 * A 500 whose detail (a storage error, an exception's message) is logged by the server and never
 * sent: clients get the generic "Internal error occurred" (docs/limits.md § API, "Internal errors").
 */
export class HiddenInternalError extends ApiError {
  constructor(readonly detail: string) {
    super({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred' });
    this.name = 'HiddenInternalError';
  }
}

export interface Target {
  /** Group of the resource ('' for core). */
  group: string;
  /** Plural resource name as kubectl prints it: "pods", "deployments.apps" comes from group + resource. */
  resource: string;
  name?: string;
}

function qualified(target: Target): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  });
}

function targetDetails(target: Target): Status['details'] {
  return {
    ...(target.name === undefined ? {} : { name: target.name }),
    ...(target.group === '' ? {} : { group: target.group }),
    kind: target.resource,
  };
}

export const errors = {
  notFound: (target: Target) =>
    failure(404, 'NotFound', `${qualified(target)} "${target.name ?? ''}" not found`, targetDetails(target)),
  alreadyExists: (target: Target) =>
    failure(409, 'AlreadyExists', `${qualified(target)} "${target.name ?? ''}" already exists`, targetDetails(target)),
  conflict: (target: Target, why: string) =>
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(target)} "${target.name ?? ''}": ${why}`,
      targetDetails(target),
    ),
  /** 422 with causes; `kind` is the Kind ("Pod"), as kubectl builds its text from it. */
  invalid: (group: string, kind: string, name: string, fieldErrors: readonly FieldError[]) => {
    const causes = fieldErrors.map((e) => ({ reason: e.type, message: fieldErrorMessage(e), field: e.field }));
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return failure(422, 'Invalid', `${kind}${group === '' ? '' : `.${group}`} "${name}" is invalid: ${summary}`, {
      name,
      ...(group === '' ? {} : { group }),
      kind,
      causes,
    });
  },
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  unauthorized: () => failure(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (user: string, verb: string, target: Target, namespace: string | undefined, why?: string) => {
    const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
    const subject = target.name === undefined ? '' : ` "${target.name}"`;
    return failure(
      403,
      'Forbidden',
      `${qualified(target)}${subject} is forbidden: User "${user}" cannot ${verb} resource "${target.resource}" in API group "${target.group}" ${scope}${why ? `: ${why}` : ''}`,
      targetDetails(target),
    );
  },
  /** NewForbidden's body with our own text; without a target, details name nothing (`{}`). */
  forbiddenMessage: (message: string, target?: Target) =>
    failure(403, 'Forbidden', message, target === undefined ? {} : targetDetails(target)),
  /**
   * 405, as NewMethodNotSupported and the generic server response carry it: details name the
   * resource (`{group, kind}`) when there is one, else are empty.
   */
  methodNotAllowed: (message: string, target?: Target) =>
    failure(405, 'MethodNotAllowed', message, target === undefined ? {} : targetDetails(target)),
  /** NewResourceExpired: 410 Expired, no details. */
  gone: (message: string) => failure(410, 'Expired', message),
  unsupportedMediaType: (contentType: string) =>
    failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json (got ${JSON.stringify(contentType)})`),
  notAcceptable: (message: string) => failure(406, 'NotAcceptable', message),
  tooLarge: () => failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
  /**
   * The 404 for a path the server does not serve: "the server could not find the requested
   * resource" with empty details, as NewGenericServerResponse(404) without a resource. kubectl
   * debug reads `details.name` of a 404 and crashes on a body without details.
   */
  notFoundPath: (path: string) => failure(404, 'NotFound', `the server could not find the requested resource (${path})`, {}),
  /** NewInternalError: the message is also the one cause. */
  internal: (message: string) => failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  /** A store or other internal failure: its detail goes to the log only. */
  hiddenInternal: (detail: string) => new HiddenInternalError(detail),
  /** NewTimeoutError: 504 "Timeout: …" with retryAfterSeconds. */
  timeout: (message: string, retryAfterSeconds = 0) =>
    failure(504, 'Timeout', `Timeout: ${message}`, retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  /** NewTooLargeResourceVersionError: a read or watch from a revision the store has not reached yet. */
  tooLargeResourceVersion: (requested: number, current: number) =>
    failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }),
  /** NewTooManyRequests: 429 with the delay the client should wait. */
  tooManyRequests: (message: string, retryAfterSeconds: number) =>
    failure(429, 'TooManyRequests', message, { retryAfterSeconds }),
  /** NewServiceUnavailable: 503, no details. */
  unavailable: (message: string) => failure(503, 'ServiceUnavailable', message),
  /** JSON patch operations that do not apply (a failed `test` included): 422 as the apiserver's patch handler answers. */
  patchNotApplied: (message: string) => failure(422, 'Invalid', message, {}),
};

export function successStatus(details?: Status['details']): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}

/** Whether a thrown value is the API's 404: the object, or its kind, is not there. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}
