import { describe, expect, it } from 'vitest';
import { parseExecOptions, resolveExecContainer } from './exec-options.js';

describe('PodExecOptions', () => {
  it('reads the repeated command and the flags', () => {
    const parsed = parseExecOptions(new URLSearchParams('command=sh&command=-c&command=exit+3&container=c&stdin=true&stdout=true&stderr=true'));
    expect(parsed).toEqual({ ok: true, value: { command: ['sh', '-c', 'exit 3'], container: 'c', stdin: true, stdout: true, stderr: true, tty: false } });
  });

  it('refuses what the API server refuses, in its words', () => {
    expect(parseExecOptions(new URLSearchParams('stdout=true'))).toMatchObject({ ok: false, message: 'you must specify at least 1 command' });
    expect(parseExecOptions(new URLSearchParams('command=ls'))).toMatchObject({ ok: false, message: 'you must specify at least 1 of stdin, stdout, stderr' });
    expect(parseExecOptions(new URLSearchParams('command=ls&stdin=False&stdout=FALSE&stderr=0'))).toMatchObject({ ok: false, message: 'you must specify at least 1 of stdin, stdout, stderr' });
  });

  it('reads the flags as the apiserver\'s parameter codec does: only "0" and "false" (any case) are false', () => {
    // The Python client sends `stdin=False&stdout=True`; the apiserver never refuses a boolean's spelling.
    expect(parseExecOptions(new URLSearchParams('command=ls&stdin=False&stdout=True&tty=False'))).toMatchObject({ ok: true, value: { stdin: false, stdout: true, tty: false } });
    expect(parseExecOptions(new URLSearchParams('command=ls&stdout=yes'))).toMatchObject({ ok: true, value: { stdout: true } });
  });

  it('picks the only container, or the named one', () => {
    const one = { containers: [{ name: 'main' }] };
    const two = { containers: [{ name: 'a' }, { name: 'b' }] };
    expect(resolveExecContainer('p', one, undefined)).toEqual({ ok: true, value: 'main' });
    expect(resolveExecContainer('p', two, 'b')).toEqual({ ok: true, value: 'b' });
    expect(resolveExecContainer('p', two, undefined)).toMatchObject({ ok: false, message: 'a container name must be specified for pod p, choose one of: [a b]' });
    expect(resolveExecContainer('p', two, 'zz')).toMatchObject({ ok: false, message: 'container zz is not valid for pod p' });
  });
});
