import { z } from 'zod';

/**
 * The hub address list (docs/protocol.md R45): the `wss://HOST:PORT` URLs of the cloudcores an
 * edge may dial, the answering cloudcore first. Both halves validate it with these schemas.
 */
export const MAX_HUB_URLS = 32;

/** A hub URL as edges dial it: wss, a host (or [v6]), an optional port, no path. */
export const hubUrlSchema = z
  .string()
  .max(512)
  .regex(/^wss:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/, 'must be wss://HOST[:PORT]');

export const hubListSchema = z.array(hubUrlSchema).max(MAX_HUB_URLS);

/** Cloud → edge, to 1.6 sessions only: the list changed since the welcome (R45). */
export const hubsContent = z.strictObject({ kind: z.literal('hubs'), hubs: hubListSchema });

/** The same hub written two ways (a trailing slash) counts once; order is kept, first wins. */
export function uniqueHubUrls(urls: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const url of urls) {
    const key = url.replace(/\/$/, '');
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(key);
  }
  return out.slice(0, MAX_HUB_URLS);
}
