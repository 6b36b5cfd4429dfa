/**
 * tcpSocket probes: a TCP connection that opens within the timeout is success, and is closed at
 * once (kubelet's pkg/probe/tcp). Failures read as Go's dialer words them.
 */
import { Socket } from 'node:net';
import { failure, success, type CheckOutcome } from './check-result.js';

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A Node socket error in the words of Go's net package (what kubelet's events show). */
export function dialError(host: string, port: number, err: NodeJS.ErrnoException | 'timeout'): string {
  const address = hostPort(host, port);
  if (err === 'timeout') return `dial tcp ${address}: i/o timeout`;
  if (err.code === 'ECONNREFUSED') return `dial tcp ${address}: connect: connection refused`;
  if (err.code === 'EHOSTUNREACH') return `dial tcp ${address}: connect: no route to host`;
  if (err.code === 'ENETUNREACH') return `dial tcp ${address}: connect: network is unreachable`;
  return `dial tcp ${address}: ${err.message}`;
}

export function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (outcome: CheckOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(failure(dialError(host, port, 'timeout'))), timeoutMs);
    socket.once('connect', () => done(success()));
    socket.once('error', (err) => done(failure(dialError(host, port, err))));
    socket.connect({ host, port });
  });
}
