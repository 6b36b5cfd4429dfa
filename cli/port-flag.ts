import { InvalidArgumentError } from 'commander';

/** A `--*-port` flag: 0 to 65535, where 0 picks a free port. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535 (0 picks a free port)');
  return port;
}
