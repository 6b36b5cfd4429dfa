/** What a peer reads when its frame was over the limit (docs/protocol.md R6). */
export function frameLimitReason(limitBytes: number): string {
  return `frame larger than the ${limitBytes}-byte limit (protocol.md R6)`;
}

/** The part of a ws WebSocket this needs; shared/ does not depend on the ws types. */
interface ClosableSocket {
  close(code?: number, data?: string | Buffer): void;
}

/**
 * ws closes a connection whose frame is over `maxPayload` with 1009 and no reason (its receiver
 * calls `close(1009)` before it emits the error). The peer should read which limit it broke
 * (R6), on either side, so a reasonless 1009 from this socket gets one.
 */
export function withFrameLimitReason(ws: ClosableSocket, limitBytes: number): void {
  const close = ws.close.bind(ws);
  const reason = frameLimitReason(limitBytes);
  ws.close = (code?: number, data?: string | Buffer) => close(code, code === 1009 && (data === undefined || data.length === 0) ? reason : data);
}
