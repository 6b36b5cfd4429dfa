import { describe, expect, it } from 'vitest';
import { parseCriLogLine, rfc3339ToNanos } from './cri-log-line.js';
import { LogOutput } from './log-output.js';

const line = (text: string) => {
  const parsed = parseCriLogLine(Buffer.from(text));
  if (parsed === undefined) throw new Error(`not a CRI line: ${text}`);
  return parsed;
};
const render = (output: LogOutput, lines: string[]) => Buffer.concat(lines.flatMap((l) => output.take(line(l)))).toString();

describe('CRI log lines', () => {
  it('parses time, stream, tag and text, keeping spaces in the text', () => {
    const l = line('2016-10-06T00:17:09.669794202Z stdout F hello  world \n');
    expect(l).toMatchObject({ time: '2016-10-06T00:17:09.669794202Z', stream: 'stdout', partial: false });
    expect(l.text.toString()).toBe('hello  world ');
    expect(line('2016-10-06T00:17:09.1Z stderr P part').partial).toBe(true);
    expect(line('2016-10-06T00:17:09Z stdout F').text.length).toBe(0);
    expect(line('2016-10-06T00:17:09Z stdout F:extra x').text.toString()).toBe('x');
  });

  it('refuses what is not a CRI line', () => {
    for (const bad of ['', 'hello', '2016-10-06 stdout F x', 'yesterday stdout F x', '2016-10-06T00:17:09Z stdin F x', '2016-10-06T00:17:09Z stdout X x', '2016-10-06T00:17:09Z stdout']) {
      expect(parseCriLogLine(Buffer.from(bad))).toBeUndefined();
    }
  });

  it('reads times to the nanosecond, with offsets', () => {
    expect(rfc3339ToNanos('1970-01-01T00:00:01.000000002Z')).toBe(1_000_000_002n);
    expect(rfc3339ToNanos('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(rfc3339ToNanos('1970-01-01T00:00:00.5-00:30')).toBe(1_800_500_000_000n);
    expect(rfc3339ToNanos('not a time')).toBeUndefined();
  });
});

describe('log output (kubelet ReadLogs)', () => {
  const lines = ['2024-01-01T00:00:01.5Z stdout F one', '2024-01-01T00:00:02Z stdout P tw', '2024-01-01T00:00:03Z stderr F o', '2024-01-01T00:00:04Z stdout F three'];

  it('joins partial lines and ends full ones with a newline', () => {
    expect(render(new LogOutput({ timestamps: false }), lines)).toBe('one\ntwo\nthree\n');
  });

  it('prefixes each logical line with its time for --timestamps', () => {
    expect(render(new LogOutput({ timestamps: true }), lines)).toBe('2024-01-01T00:00:01.5Z one\n2024-01-01T00:00:02Z two\n2024-01-01T00:00:04Z three\n');
  });

  it('skips lines older than sinceTime', () => {
    const since = rfc3339ToNanos('2024-01-01T00:00:02Z');
    expect(render(new LogOutput({ timestamps: false, ...(since !== undefined ? { sinceNanos: since } : {}) }), lines)).toBe('two\nthree\n');
  });

  it('cuts the output at limitBytes', () => {
    const output = new LogOutput({ timestamps: false, limitBytes: 6 });
    expect(render(output, lines)).toBe('one\ntw');
    expect(output.full).toBe(true);
  });
});
