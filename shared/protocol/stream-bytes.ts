import { isUtf8 } from 'node:buffer';

/**
 * The bytes of a streamData frame (protocol.md R28): as text when they are valid UTF-8 (logs
 * almost always are, and text costs nothing to encode), else base64, so no byte is ever altered.
 */
export function encodeStreamBytes(bytes: Buffer): { encoding: 'utf8' | 'base64'; data: string } {
  return isUtf8(bytes) ? { encoding: 'utf8', data: bytes.toString('utf8') } : { encoding: 'base64', data: bytes.toString('base64') };
}

export function decodeStreamBytes(encoding: 'utf8' | 'base64', data: string): Buffer {
  return Buffer.from(data, encoding);
}
