import type { Socket } from 'node:net';

/**
 * Reads MQTT fixed headers (a type byte, then the remaining length in 1–4 bytes of 7 bits,
 * MQTT 3.1.1 § 2.2.3) as bytes pass, and skips the bodies, so the size of each packet is known
 * before it is buffered. aedes' parser would otherwise collect a packet of any announced size
 * (up to 256 MiB) in memory (docs/mqtt-broker.md § Limits).
 */
export class PacketSizeMeter {
  private bodyLeft = 0;
  private inLength = false;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  /** Packets whose last byte has passed. */
  completed = 0;

  constructor(private readonly maxRemainingBytes: number) {}

  /** Feeds the next bytes of the stream; returns the offending length once a packet is too large. */
  feed(chunk: Buffer): number | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        if (this.bodyLeft === 0) this.completed += 1;
        continue;
      }
      const byte = chunk[i] ?? 0;
      i += 1;
      if (!this.inLength) {
        this.inLength = true;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      // Later length bytes only add, so a partial length already past the bound is final.
      if (this.length > this.maxRemainingBytes) return this.length;
      if ((byte & 0x80) === 0) {
        this.inLength = false;
        this.bodyLeft = this.length;
        if (this.length === 0) this.completed += 1; // PINGREQ, DISCONNECT: a header and nothing more
      } else if (this.lengthBytes === 4) {
        return Number.POSITIVE_INFINITY; // a fifth length byte is malformed (MQTT-2.2.3)
      }
    }
    return undefined;
  }
}

/**
 * Bytes aedes gets per read, unless one packet is longer. aedes routes every packet of one read at
 * once and reads again only when all are routed, so this bounds what one publisher has in flight
 * inside the broker, whatever the sockets' buffer mark (docs/mqtt-broker.md § Limits).
 */
export const MAX_READ_BYTES = 64 * 1024;

/**
 * Sits in front of aedes on one socket (docs/mqtt-broker.md § Limits). aedes pulls bytes with
 * `socket.read()`, so this wraps that method of this one socket:
 * - a packet over maxPacketBytes destroys the socket before aedes' parser sees its bytes;
 * - a read hands over about MAX_READ_BYTES, but always at least to the end of one packet. aedes
 *   reads again when it has routed the packets of a read; a read that ended no packet would leave
 *   the rest buffered with no 'readable' event to announce it, and the packet would stall.
 */
export function guardInbound(socket: Socket, maxPacketBytes: number, onOversize: (length: number) => void): void {
  const meter = new PacketSizeMeter(maxPacketBytes);
  const read = socket.read.bind(socket);
  socket.read = (size?: number): unknown => {
    const parts: Buffer[] = [];
    const completedBefore = meter.completed;
    for (;;) {
      const bounded = (size === undefined || size === null) && socket.readableLength > MAX_READ_BYTES ? MAX_READ_BYTES : size;
      const chunk: unknown = read(bounded);
      if (!Buffer.isBuffer(chunk)) {
        if (parts.length === 0) return chunk;
        break;
      }
      const oversize = meter.feed(chunk);
      if (oversize !== undefined) {
        onOversize(oversize);
        socket.destroy();
        return null;
      }
      parts.push(chunk);
      if (meter.completed > completedBefore || socket.readableLength === 0 || bounded === size) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  };
}
