/**
 * The hub URL a cloudcore publishes (docs/failover.md § Publishing): a configured external URL
 * (a DNS name or load balancer in front of the cloudcores) as is; else wss://HOST:PORT with the
 * advertised host, or the bind address when it is a specific one, or the machine's host name,
 * and the hub's bound port. main.ts adds that host to the serving certificate's names.
 */
import { hostname } from 'node:os';

export interface AdvertiseSettings {
  externalUrl?: string | undefined;
  advertiseAddress?: string | undefined;
  bindAddress: string;
}

export function advertisedHost(settings: AdvertiseSettings): string {
  if (settings.advertiseAddress !== undefined && settings.advertiseAddress !== '') return settings.advertiseAddress;
  const unspecified = settings.bindAddress === '0.0.0.0' || settings.bindAddress === '::' || settings.bindAddress === '';
  return unspecified ? hostname() : settings.bindAddress;
}

export function advertisedHubUrl(settings: AdvertiseSettings, boundPort: number): string {
  if (settings.externalUrl !== undefined && settings.externalUrl !== '') return settings.externalUrl.replace(/\/$/, '');
  const host = advertisedHost(settings);
  return `wss://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
}
