import type { UpgradeRequest } from '../apiserver/index.js';

/** The websocket subprotocols a client offered (Sec-WebSocket-Protocol, comma-separated). */
export function offeredProtocols(r: UpgradeRequest): Set<string> {
  const header = r.req.headers['sec-websocket-protocol'] ?? '';
  return new Set(header.split(',').map((p) => p.trim()).filter((p) => p !== ''));
}

/** X-Stream-Protocol-Version, repeated or comma-joined (Node joins repeated headers with ", "). */
export function offeredStreamVersions(r: UpgradeRequest): string[] {
  const header = [r.req.headers['x-stream-protocol-version'] ?? ''].flat().join(',');
  return header.split(',').map((p) => p.trim()).filter((p) => p !== '');
}
