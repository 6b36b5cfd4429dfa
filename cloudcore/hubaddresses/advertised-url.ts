/**
 * The addresses a cloudcore publishes (docs/failover.md § Publishing): a configured external URL
 * (a DNS name or load balancer in front of the cloudcores) as is; else wss://HOST:PORT with the
 * advertised host, or the bind address when it is a specific one, or this machine's first
 * non-loopback IP (its host name only when it has none: Debian maps the host name to 127.0.1.1),
 * and the hub's bound port. main.ts adds those hosts to the serving certificate's names. The join
 * address `outpost token create` prints uses the same host (docs/configuration.md § The join command).
 */
import { hostname, networkInterfaces } from 'node:os';

export interface AdvertiseSettings {
  externalUrl?: string | undefined;
  advertiseAddress?: string | undefined;
  bindAddress: string;
}

/** The first address of this machine another machine can reach: IPv4 first, never loopback or link-local. */
export function firstNonLoopbackAddress(interfaces = networkInterfaces()): string | undefined {
  const addresses = Object.values(interfaces).flatMap((list) => list ?? []).filter((a) => !a.internal);
  const v4 = addresses.find((a) => a.family === 'IPv4' && !a.address.startsWith('169.254.'));
  const v6 = addresses.find((a) => a.family === 'IPv6' && !/^fe80:/i.test(a.address));
  return (v4 ?? v6)?.address;
}

export function advertisedHost(settings: AdvertiseSettings): string {
  if (settings.advertiseAddress !== undefined && settings.advertiseAddress !== '') return settings.advertiseAddress;
  const unspecified = settings.bindAddress === '0.0.0.0' || settings.bindAddress === '::' || settings.bindAddress === '';
  return unspecified ? (firstNonLoopbackAddress() ?? hostname()) : settings.bindAddress;
}

function withPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function advertisedHubUrl(settings: AdvertiseSettings, boundPort: number): string {
  if (settings.externalUrl !== undefined && settings.externalUrl !== '') return settings.externalUrl.replace(/\/$/, '');
  return `wss://${withPort(advertisedHost(settings), boundPort)}`;
}

/** The external URL's host, when one is configured. */
function externalHost(settings: AdvertiseSettings): string | undefined {
  if (settings.externalUrl === undefined || settings.externalUrl === '') return undefined;
  return new URL(settings.externalUrl).hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * HOST:PORT of the join endpoint as an edge on another machine reaches it: the advertised
 * address if set, else the external URL's host (a load balancer forwarding the join port too),
 * else the advertised host, with the bootstrap endpoint's bound port.
 */
export function advertisedJoinAddress(settings: AdvertiseSettings, bootstrapPort: number): string {
  const explicit = settings.advertiseAddress !== undefined && settings.advertiseAddress !== '' ? settings.advertiseAddress : externalHost(settings);
  return withPort(explicit ?? advertisedHost(settings), bootstrapPort);
}

/** The hosts the serving certificate must name so edges can verify it at the published addresses. */
export function publishedHosts(settings: AdvertiseSettings): string[] {
  const external = externalHost(settings);
  return [advertisedHost(settings), ...(external === undefined ? [] : [external])];
}
