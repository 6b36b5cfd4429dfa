import { z } from 'zod';

/**
 * Handshake admission (protocol.md R46): CloudHub answers an upgrade it cannot take now with
 * HTTP 503, `Retry-After` in whole seconds (RFC 9110) and this header in milliseconds, which a
 * 1.6 edge prefers because a storm is spread over slots far shorter than a second.
 */
export const RETRY_AFTER_MS_HEADER = 'outpost-retry-after-ms';
/** The status of a deferred upgrade. */
export const ADMISSION_DEFERRED_STATUS = 503;
/** An edge waits at most this long on the cloud's word, whatever a header says. */
export const MAX_RETRY_AFTER_MS = 60_000;

const millis = z.coerce.number().int().min(0);
const seconds = z.coerce.number().int().min(0);

/**
 * The wait a deferred upgrade asks for, read from its headers (a trust boundary: the values are
 * checked and capped); undefined when the answer carries neither header.
 */
export function retryAfterMsOf(headers: Record<string, string | string[] | undefined>): number | undefined {
  const exact = millis.safeParse(single(headers[RETRY_AFTER_MS_HEADER]));
  if (exact.success) return Math.min(exact.data, MAX_RETRY_AFTER_MS);
  const coarse = seconds.safeParse(single(headers['retry-after']));
  if (coarse.success) return Math.min(coarse.data * 1000, MAX_RETRY_AFTER_MS);
  return undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined || one.trim() === '' ? undefined : one.trim();
}
