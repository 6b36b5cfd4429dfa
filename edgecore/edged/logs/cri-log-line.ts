/**
 * One line of a CRI container log file, as containerd writes it (k8s.io/cri-api "CRI log
 * format"; docs/containerd-cri.md § Logs): `<RFC3339Nano time> <stdout|stderr> <tags> <text>`,
 * where the first `:`-separated tag is `F` (a full line) or `P` (a partial line: the text
 * continues in the next one). The file is input from outside: anything else is refused.
 */
export interface CriLogLine {
  /** The time exactly as written, which kubelet prints unchanged for --timestamps. */
  time: string;
  /** The same time in nanoseconds since the epoch, for sinceTime/sinceSeconds. */
  nanos: bigint;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  /** The text, without the file's line break. */
  text: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** RFC 3339 (with up to nanoseconds) to epoch nanoseconds; undefined when it is not one. */
export function rfc3339ToNanos(text: string): bigint | undefined {
  const m = TIME.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone, sign, zh, zm] = m;
  const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(millis)) return undefined;
  let nanos = BigInt(millis) * 1_000_000n + BigInt((frac ?? '').padEnd(9, '0') || '0');
  if (zone !== 'Z') {
    const offsetMinutes = BigInt(Number(zh) * 60 + Number(zm));
    nanos -= (sign === '-' ? -1n : 1n) * offsetMinutes * 60_000_000_000n;
  }
  return nanos;
}

/** Parses one line (with or without its trailing newline); undefined when it is not a CRI log line. */
export function parseCriLogLine(line: Buffer): CriLogLine | undefined {
  const body = line.length > 0 && line[line.length - 1] === NEWLINE ? line.subarray(0, line.length - 1) : line;
  const first = body.indexOf(SPACE);
  if (first <= 0 || first > 40) return undefined;
  const second = body.indexOf(SPACE, first + 1);
  if (second < 0) return undefined;
  const third = body.indexOf(SPACE, second + 1);
  // The text may be empty ("... stdout F" then nothing): the tag then ends the line.
  const tagEnd = third < 0 ? body.length : third;
  const time = body.toString('latin1', 0, first);
  const nanos = rfc3339ToNanos(time);
  if (nanos === undefined) return undefined;
  const stream = body.toString('latin1', first + 1, second);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = body.toString('latin1', second + 1, tagEnd).split(':')[0];
  if (tag !== 'F' && tag !== 'P') return undefined;
  return { time, nanos, stream, partial: tag === 'P', text: third < 0 ? Buffer.alloc(0) : body.subarray(third + 1) };
}
