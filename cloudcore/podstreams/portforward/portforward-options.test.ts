import { describe, expect, it } from 'vitest';
import { parsePortForwardPorts } from './portforward-options.js';

describe('PodPortForwardOptions', () => {
  it('reads repeated and comma-joined ports', () => {
    expect(parsePortForwardPorts(new URLSearchParams('ports=8080&ports=53,9000'))).toEqual({ ok: true, value: [8080, 53, 9000] });
    expect(parsePortForwardPorts(new URLSearchParams(''))).toEqual({ ok: true, value: [] });
  });

  it('refuses a port outside 1–65535 or not a number', () => {
    expect(parsePortForwardPorts(new URLSearchParams('ports=0'))).toMatchObject({ ok: false, message: 'unable to parse "0" as a port: port must be between 1 and 65535' });
    expect(parsePortForwardPorts(new URLSearchParams('ports=70000'))).toMatchObject({ ok: false });
    expect(parsePortForwardPorts(new URLSearchParams('ports=http'))).toMatchObject({ ok: false });
  });
});
