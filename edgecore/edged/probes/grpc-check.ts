/**
 * gRPC probes (kubelet's pkg/probe/grpc): grpc.health.v1.Health/Check over plaintext HTTP/2 to
 * the pod's IP, success when the answer says SERVING. The two messages are tiny, so they are
 * encoded by hand (health.proto: HealthCheckRequest { string service = 1; },
 * HealthCheckResponse { ServingStatus status = 1; } with SERVING = 1).
 */
import { Client, credentials, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { failure, success, type CheckOutcome } from './check-result.js';
import { hostPort } from './tcp-check.js';

const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function encodeRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  if (name.length === 0) return Buffer.alloc(0);
  const length: number[] = [];
  for (let n = name.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), name]);
}

/** Field 1 (varint) of the answer; 0 (UNKNOWN) when absent, as proto3 defaults it. Other fields are skipped. */
export function decodeStatus(answer: Buffer): number {
  let status = 0;
  let i = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; i < answer.length; shift += 7) {
      const byte = answer[i++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
    }
    return value;
  };
  while (i < answer.length) {
    const tag = varint();
    const wire = tag & 7;
    if (tag >>> 3 === 1 && wire === 0) status = varint();
    else if (wire === 0) varint();
    else if (wire === 2) i += varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return status;
}

export function grpcCheck(host: string, port: number, service: string, timeoutMs: number): Promise<CheckOutcome> {
  const address = hostPort(host, port);
  const client = new Client(address, credentials.createInsecure());
  const seconds = `${timeoutMs / 1000}s`;
  return new Promise<CheckOutcome>((resolve) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (service: string) => encodeRequest(service),
      (answer: Buffer) => decodeStatus(answer),
      service,
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err: ServiceError | null, status?: number) => {
        if (err !== null) {
          if (err.code === GrpcStatus.UNIMPLEMENTED) return resolve(failure(`this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}`));
          if (err.code === GrpcStatus.DEADLINE_EXCEEDED) return resolve(failure(`timeout: health rpc did not complete within ${seconds}`));
          if (err.code === GrpcStatus.UNAVAILABLE) return resolve(failure(`timeout: failed to connect service ${JSON.stringify(address)} within ${seconds}: ${err.details}`));
          return resolve(failure(`rpc error: code = ${GrpcStatus[err.code] ?? err.code} desc = ${err.details}`));
        }
        if (status === 1) return resolve(success('service healthy'));
        resolve(failure(`service unhealthy (responded with ${JSON.stringify(STATUS_NAMES[status ?? 0] ?? String(status))})`));
      },
    );
  }).finally(() => client.close());
}
