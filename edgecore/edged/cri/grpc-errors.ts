/**
 * gRPC status → the project's error codes. What the runtime said is kept verbatim, because it is
 * what the user needs to read (e.g. containerd's `exec: "nope": executable file not found in
 * $PATH`); only failures that grpc-js produces itself (no connection, deadline) get context.
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import type { ErrorCode } from '../../../shared/errors.js';

export type CriErrorCode = Extract<ErrorCode, 'NotFound' | 'AlreadyExists' | 'BadRequest' | 'Unavailable' | 'Internal'>;

export interface CriFailure {
  ok: false;
  code: CriErrorCode;
  message: string;
}

export function criErrorCode(grpcCode: number): CriErrorCode {
  switch (grpcCode) {
    case GrpcStatus.NOT_FOUND:
      return 'NotFound';
    case GrpcStatus.ALREADY_EXISTS:
      return 'AlreadyExists';
    case GrpcStatus.INVALID_ARGUMENT:
      return 'BadRequest';
    // The runtime is down, restarting, or too slow: callers retry later (pod workers back off).
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
      return 'Unavailable';
    default:
      return 'Internal';
  }
}

export interface CallContext {
  /** "RuntimeService/StartContainer", for messages. */
  rpc: string;
  endpoint: string;
  deadlineMs: number;
}

export function criFailureFromGrpc(err: ServiceError, context: CallContext): CriFailure {
  const code = criErrorCode(err.code);
  // grpc-js ends connection failures with an empty "Resolution note: "; it says nothing.
  const details = (err.details !== '' ? err.details : err.message).replace(/\s*Resolution note:\s*$/, '');
  switch (err.code) {
    case GrpcStatus.DEADLINE_EXCEEDED:
      return { ok: false, code, message: `${context.rpc}: no answer from the container runtime at ${context.endpoint} within ${context.deadlineMs} ms (${details})` };
    case GrpcStatus.UNAVAILABLE:
      return { ok: false, code, message: `${context.rpc}: the container runtime at ${context.endpoint} is unavailable: ${details}` };
    case GrpcStatus.CANCELLED:
      return { ok: false, code, message: `${context.rpc}: cancelled: ${details}` };
    default:
      return { ok: false, code, message: details };
  }
}

/** grpc-js hands callbacks a ServiceError; anything else thrown at us is a plain Error. */
export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}
