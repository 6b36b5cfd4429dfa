/**
 * PodPortForwardOptions from the query (core/v1: `ports`, repeated or comma-joined). SPDY
 * clients name each connection's port in its stream headers and may send none here; the
 * websocket channel protocol needs them, since its channels are fixed when it opens.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';

/** At most this many ports in one websocket port-forward (two channels each, one byte per channel id). */
const MAX_PORTS = 64;

export function parsePortForwardPorts(query: URLSearchParams): Result<number[]> {
  const texts = query.getAll('ports').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (texts.length > MAX_PORTS) return fail('BadRequest', `at most ${MAX_PORTS} ports may be forwarded at once`);
  const ports: number[] = [];
  for (const text of texts) {
    const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    // kubelet's words (portforward.NewV4Options / httpstream handler).
    if (!(port >= 1 && port <= 65535)) return fail('BadRequest', `unable to parse "${text}" as a port: port must be between 1 and 65535`);
    ports.push(port);
  }
  return ok(ports);
}
