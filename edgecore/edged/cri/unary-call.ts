/**
 * One CRI unary call: encode, send with a deadline, map a gRPC failure to a Result, and validate
 * the answer with zod before anyone uses it (docs/architecture.md § Input: CRI answers are input).
 */
import { Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import type { z } from 'zod';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { describeIssues } from './answer-fields.js';
import { criFailureFromGrpc, isServiceError } from './grpc-errors.js';
import { criMethod, type CriServiceName } from './runtime-proto.js';

export interface UnaryCall<T> {
  service: CriServiceName;
  /** The RPC name as in the proto, e.g. "StartContainer". */
  rpc: string;
  request: object;
  answer: z.ZodType<T>;
  deadlineMs: number;
  /** Aborting cancels the call; it then fails with code Unavailable. */
  signal?: AbortSignal;
}

export function callUnary<T>(client: Client, endpoint: string, call: UnaryCall<T>): Promise<Result<T>> {
  const method = criMethod(call.service, call.rpc);
  const context = { rpc: `${call.service}/${call.rpc}`, endpoint, deadlineMs: call.deadlineMs };
  return new Promise((resolve) => {
    if (call.signal?.aborted === true) {
      resolve(fail('Unavailable', `${context.rpc}: cancelled before it was sent`));
      return;
    }
    const onAbort = (): void => pending.cancel();
    const pending = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      call.request,
      new Metadata(),
      { deadline: Date.now() + call.deadlineMs },
      (err: ServiceError | null, answer?: unknown) => {
        call.signal?.removeEventListener('abort', onAbort);
        if (err !== null) {
          resolve(isServiceError(err) ? criFailureFromGrpc(err, context) : fail('Internal', `${context.rpc}: ${String(err)}`));
          return;
        }
        const parsed = call.answer.safeParse(answer);
        if (!parsed.success) {
          resolve(fail('Internal', `malformed ${context.rpc} answer from the container runtime: ${describeIssues(parsed.error)}`));
          return;
        }
        resolve(ok(parsed.data));
      },
    );
    call.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
