import { describe, expect, it } from 'vitest';
import { attachChannels, containerTty, parseAttachOptions } from './attach-options.js';

describe('PodAttachOptions', () => {
  it('reads the container and the flags as the parameter codec does', () => {
    expect(parseAttachOptions(new URLSearchParams('container=c&stdin=true&stdout=true&stderr=true&tty=true'))).toEqual({
      ok: true,
      value: { container: 'c', stdin: true, stdout: true, stderr: true, tty: true },
    });
    expect(parseAttachOptions(new URLSearchParams('stdout=True&stdin=False'))).toEqual({ ok: true, value: { container: undefined, stdin: false, stdout: true, stderr: false, tty: false } });
  });

  it("refuses an attach with no channel, in kubelet's words", () => {
    expect(parseAttachOptions(new URLSearchParams('container=c'))).toMatchObject({ ok: false, code: 'BadRequest', message: 'you must specify at least 1 of stdin, stdout, stderr' });
    expect(parseAttachOptions(new URLSearchParams('stdin=0&stdout=false&stderr=FALSE'))).toMatchObject({ ok: false, message: 'you must specify at least 1 of stdin, stdout, stderr' });
  });

  it("takes the terminal from the container's spec, whatever the client asked", () => {
    const spec = { containers: [{ name: 'a', tty: true }, { name: 'b' }], initContainers: [{ name: 'i', tty: true }] };
    expect(containerTty(spec, 'a')).toBe(true);
    expect(containerTty(spec, 'b')).toBe(false);
    expect(containerTty(spec, 'i')).toBe(true);
    expect(containerTty(spec, 'missing')).toBe(false);
  });

  it('drops stderr under a terminal, as kubelet does, and keeps it without one', () => {
    const asked = { container: undefined, stdin: true, stdout: true, stderr: true, tty: true };
    expect(attachChannels(asked, true)).toEqual({ stdin: true, stdout: true, stderr: false, tty: true });
    expect(attachChannels(asked, false)).toEqual({ stdin: true, stdout: true, stderr: true, tty: false });
  });
});
