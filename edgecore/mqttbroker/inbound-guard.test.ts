import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketSizeMeter } from './inbound-guard.js';

function publish(payloadBytes: number): Buffer {
  return generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(payloadBytes), qos: 0, retain: false, dup: false });
}

describe('PacketSizeMeter', () => {
  it('passes a stream of packets under the bound, however the bytes are split', () => {
    const stream = Buffer.concat([publish(10), publish(200), publish(1000), publish(0)]);
    for (const step of [1, 2, 3, 7, 64, stream.length]) {
      const meter = new PacketSizeMeter(1024);
      for (let i = 0; i < stream.length; i += step) expect(meter.feed(stream.subarray(i, i + step))).toBeUndefined();
    }
  });

  it('reports a packet over the bound from its header, before its body arrives', () => {
    const meter = new PacketSizeMeter(1024);
    expect(meter.feed(publish(10))).toBeUndefined();
    const big = publish(100_000);
    expect(meter.feed(big.subarray(0, 2))).toBeUndefined(); // the first length byte alone is under the bound
    expect(meter.feed(big.subarray(2, 4))).toBeGreaterThan(1024);
  });

  it('counts the packets whose last byte has passed, header-only packets included', () => {
    const meter = new PacketSizeMeter(1024);
    const ping = Buffer.from([0xc0, 0x00]);
    const stream = Buffer.concat([publish(10), ping, publish(300)]);
    expect(meter.feed(stream.subarray(0, 5))).toBeUndefined();
    expect(meter.completed).toBe(0);
    expect(meter.feed(stream.subarray(5, stream.length - 1))).toBeUndefined();
    expect(meter.completed).toBe(2);
    expect(meter.feed(stream.subarray(stream.length - 1))).toBeUndefined();
    expect(meter.completed).toBe(3);
  });

  it('reports a remaining length of more than four bytes as malformed', () => {
    const meter = new PacketSizeMeter(Number.MAX_SAFE_INTEGER);
    expect(meter.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(Number.POSITIVE_INFINITY);
  });
});
