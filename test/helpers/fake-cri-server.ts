/**
 * A stand-in container runtime for unit tests: a real grpc-js server on a unix socket serving
 * RuntimeService and ImageService from the same proto subset the client uses. Each RPC answers
 * with what the test scripts; every request is recorded as decoded (camelCase, int64 as strings,
 * enums by name) together with the deadline the client set. RPCs without a script answer
 * UNIMPLEMENTED, as a runtime without them would. Not part of edged; only tests import it.
 */
import { join } from 'node:path';
import { Server, ServerCredentials, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { runtimePackage, type CriServiceName } from '../../edgecore/edged/cri/runtime-proto.js';

/** Thrown (or returned rejected) by a script to answer with a gRPC status instead of a message. */
export class FakeGrpcError extends Error {
  constructor(
    readonly code: GrpcStatus,
    readonly details: string,
  ) {
    super(details);
  }
}

export type FakeRpcScript = (request: Record<string, unknown>) => unknown;

export interface RecordedCall {
  rpc: string;
  request: Record<string, unknown>;
  /** Milliseconds between the call's arrival and its deadline (Infinity without one). */
  deadlineInMs: number;
}

export interface FakeCriServer {
  /** unix:///…/cri.sock */
  endpoint: string;
  socketPath: string;
  calls: RecordedCall[];
  /** Scripts an RPC by its proto name, e.g. "StartContainer"; replaces any earlier script. */
  script(rpc: string, answer: FakeRpcScript): void;
  close(): Promise<void>;
}

const SERVICES: CriServiceName[] = ['RuntimeService', 'ImageService'];

export async function startFakeCriServer(dir: string): Promise<FakeCriServer> {
  const socketPath = join(dir, 'cri.sock');
  const endpoint = `unix://${socketPath}`;
  const scripts = new Map<string, FakeRpcScript>();
  const calls: RecordedCall[] = [];
  const server = new Server();

  function serve(rpc: string) {
    return (call: ServerUnaryCall<Record<string, unknown>, unknown>, callback: sendUnaryData<unknown>): void => {
      const deadline = call.getDeadline();
      const deadlineAt = deadline instanceof Date ? deadline.getTime() : deadline;
      calls.push({ rpc, request: call.request, deadlineInMs: deadlineAt - Date.now() });
      const script = scripts.get(rpc);
      if (script === undefined) {
        callback({ code: GrpcStatus.UNIMPLEMENTED, details: `unknown method ${rpc} (not scripted)` });
        return;
      }
      Promise.resolve()
        .then(() => script(call.request))
        .then(
          (answer) => callback(null, answer),
          (err: unknown) => {
            if (err instanceof FakeGrpcError) callback({ code: err.code, details: err.details });
            else callback({ code: GrpcStatus.INTERNAL, details: `fake runtime script failed: ${String(err)}` });
          },
        );
    };
  }

  for (const service of SERVICES) {
    const definition = runtimePackage()[`runtime.v1.${service}`] as Record<string, MethodDefinition<object, object>>;
    const implementation: UntypedServiceImplementation = {};
    for (const rpc of Object.keys(definition)) implementation[rpc] = serve(rpc);
    server.addService(definition, implementation);
  }

  await new Promise<void>((resolve, reject) => {
    server.bindAsync(endpoint, ServerCredentials.createInsecure(), (err) => (err === null ? resolve() : reject(err)));
  });

  return {
    endpoint,
    socketPath,
    calls,
    script: (rpc, answer) => scripts.set(rpc, answer),
    // Forced: a test may leave a scripted call hanging on purpose (deadline tests).
    close: async () => {
      server.forceShutdown();
    },
  };
}
