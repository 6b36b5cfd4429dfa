/**
 * Typed errors. Every error carries a machine-readable code so that callers branch on the code,
 * never on message text. Expected outcomes (not found, conflict) are returned as Result values;
 * OutpostError is for what the caller cannot handle locally.
 */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'Timeout'
  | 'Unavailable'
  | 'ConfigInvalid'
  | 'StoreCorrupt'
  | 'Internal';

export class OutpostError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutpostError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isOutpostError(err: unknown, code?: ErrorCode): err is OutpostError {
  return err instanceof OutpostError && (code === undefined || err.code === code);
}

/** A returned outcome: success with a value, or an expected failure with a code. */
export type Result<T, C extends ErrorCode = ErrorCode> =
  | { ok: true; value: T }
  | { ok: false; code: C; message: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends ErrorCode>(code: C, message: string): { ok: false; code: C; message: string } {
  return { ok: false, code, message };
}

/** The message of anything thrown, for logs and error answers. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
