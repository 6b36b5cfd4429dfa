import { describe, expect, it } from 'vitest';
import { createTokenAuthenticator, generateToken, parseTokenFile } from './tokens.js';

describe('parseTokenFile', () => {
  it('parses records, quoted groups, comments and blank lines', () => {
    const text = [
      '# static tokens',
      '',
      'tok-admin,admin,uid-1,"system:masters,ops"',
      '  tok-bob , bob , uid-2',
      'tok-carol,"carol, the ""third""",uid-3,dev\r',
      '   # indented comment',
      'tok-dave,dave,,""',
    ].join('\n');
    const result = parseTokenFile(text);
    expect(result).toEqual({
      ok: true,
      value: [
        { token: 'tok-admin', user: 'admin', uid: 'uid-1', groups: ['system:masters', 'ops'] },
        { token: 'tok-bob', user: 'bob', uid: 'uid-2', groups: [] },
        { token: 'tok-carol', user: 'carol, the "third"', uid: 'uid-3', groups: ['dev'] },
        { token: 'tok-dave', user: 'dave', uid: '', groups: [] },
      ],
    });
  });

  it('reports every bad line with its number', () => {
    const text = [
      'ok-token,user,uid',
      'only,two',
      ',user,uid',
      'tok,"unterminated,uid',
      'ok-token,other,uid',
      'tok2,user,uid,groups,extra',
      'tok3,,uid',
      'to"k,user,uid',
    ].join('\n');
    const result = parseTokenFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('Invalid');
    expect(result.message).toContain('line 2: expected at least 3 columns');
    expect(result.message).toContain('line 3: token is empty');
    expect(result.message).toContain('line 4: unterminated quoted field');
    expect(result.message).toContain('line 5: duplicate token (first on line 1)');
    expect(result.message).toContain('line 6: expected at most 4 columns');
    expect(result.message).toContain('line 7: user name is empty');
    expect(result.message).toContain('line 8: a quote may only start a field');
    expect(result.message).not.toContain('line 1:');
  });

  it('accepts an empty file', () => {
    expect(parseTokenFile('')).toEqual({ ok: true, value: [] });
  });
});

describe('tokens', () => {
  it('generates url-safe tokens with 32 bytes of entropy', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('authenticates known tokens only', () => {
    const token = generateToken();
    const parsed = parseTokenFile(`${token},admin,1,"system:masters"\nother,bob,2`);
    if (!parsed.ok) throw new Error(parsed.message);
    const authenticate = createTokenAuthenticator(parsed.value);
    expect(authenticate(token)).toEqual({ user: 'admin', uid: '1', groups: ['system:masters'] });
    expect(authenticate('other')).toEqual({ user: 'bob', uid: '2', groups: [] });
    expect(authenticate(token.slice(0, -1))).toBeUndefined();
    expect(authenticate('')).toBeUndefined();
    expect(createTokenAuthenticator([])('anything')).toBeUndefined();
  });

  it('hands out copies, so a caller cannot change the table', () => {
    const authenticate = createTokenAuthenticator([{ token: 't', user: 'u', uid: '', groups: ['g'] }]);
    authenticate('t')?.groups.push('system:masters');
    expect(authenticate('t')?.groups).toEqual(['g']);
  });
});
