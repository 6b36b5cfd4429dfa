import { ApiError, errors, type Target } from '../../../shared/apimachinery/errors/status.js';

/**
 * A write whose precondition (the uid or resourceVersion the writer named) the live object fails:
 * 409 Conflict on the wire, exactly as Kubernetes answers, and a class of its own so callers that
 * must tell it from an ordinary conflict (protocol.md R16: it can never succeed) test the class,
 * not the message.
 */
export class PreconditionFailed extends ApiError {}

export function preconditionFailed(target: Target, why: string): PreconditionFailed {
  return new PreconditionFailed(errors.conflict(target, `Precondition failed: ${why}`).status);
}
