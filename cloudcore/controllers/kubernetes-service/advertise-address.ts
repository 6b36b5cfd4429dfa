import { networkInterfaces } from 'node:os';

/**
 * The address the API advertises in the `kubernetes` Endpoints, as kube-apiserver resolves its
 * bind address (ResolveBindAddress): a specific address is itself; an unspecified or loopback one
 * becomes the host's first external IPv4 address (Endpoints may not hold loopback addresses).
 * Undefined when the host has none.
 */
export function advertiseAddress(bindAddress: string, interfaces = networkInterfaces()): string | undefined {
  const unspecified = bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress === '';
  const loopback = bindAddress.startsWith('127.') || bindAddress === '::1' || bindAddress === 'localhost';
  if (!unspecified && !loopback) return bindAddress;
  for (const addresses of Object.values(interfaces)) {
    for (const address of addresses ?? []) {
      if (!address.internal && address.family === 'IPv4' && !address.address.startsWith('169.254.')) return address.address;
    }
  }
  return undefined;
}
