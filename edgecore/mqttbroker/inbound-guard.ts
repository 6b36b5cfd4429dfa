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

  constructor(private readonly maxRemainingBytes: number) {}

  /** Feeds the next bytes of the stream; returns the offending length once a packet is too large. */
  feed(chunk: Buffer): number | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
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
      } else if (this.lengthBytes === 4) {
        return Number.POSITIVE_INFINITY; // a fifth length byte is malformed (MQTT-2.2.3)
      }
    }
    return undefined;
  }
}

/**
 * Sits in front of aedes on one socket (docs/mqtt-broker.md § Limits). aedes pulls bytes with
 * `socket.read()`, so this wraps that method of this one socket: a packet over maxPacketBytes
 * destroys the socket before aedes' parser sees its bytes. Reads are handed over whole: a read
 * cut short would leave bytes behind that no 'readable' event announces again.
 */
export function guardInbound(socket: Socket, maxPacketBytes: number, onOversize: (length: number) => void): void {
  const meter = new PacketSizeMeter(maxPacketBytes);
  const read = socket.read.bind(socket);
  socket.read = (size?: number): unknown => {
    const chunk: unknown = read(size);
    if (Buffer.isBuffer(chunk)) {
      const oversize = meter.feed(chunk);
      if (oversize !== undefined) {
        onOversize(oversize);
        socket.destroy();
        return null;
      }
    }
    return chunk;
  };
}
