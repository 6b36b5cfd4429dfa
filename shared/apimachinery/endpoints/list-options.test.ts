import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/status.js';
import { encodeContinue } from './continue-token.js';
import { DEFAULT_WATCH_TIMEOUT_SECONDS, MAX_WATCH_TIMEOUT_SECONDS, parseListParams, parseWatchParams } from './list-options.js';
import { parseRequestInfo } from './request-info.js';

const q = (text: string): URLSearchParams => new URLSearchParams(text);

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.message}`;
    throw err;
  }
  throw new Error('no error');
}

describe('list parameters', () => {
  it('reads limit, continue, selectors and includeObject', () => {
    const token = encodeContinue(7, '/registry/configmaps/a/b');
    const params = parseListParams(q(`limit=3&continue=${token}&labelSelector=app%3Dx&fieldSelector=metadata.name%3Dy&includeObject=Object`));
    expect(params).toEqual({
      limit: 3,
      continueToken: { v: 'meta.k8s.io/v1', rv: 7, start: '/registry/configmaps/a/b' },
      labelSelector: 'app=x',
      fieldSelector: 'metadata.name=y',
      includeObject: 'Object',
    });
  });

  it('treats absent and empty values as unset', () => {
    for (const text of ['', 'limit=&continue=']) {
      expect(parseListParams(q(text))).toMatchObject({ limit: 0, continueToken: undefined, labelSelector: '', fieldSelector: '', includeObject: 'Metadata' });
    }
  });

  it('refuses a limit that is not a non-negative integer', () => {
    expect(badRequest(() => parseListParams(q('limit=-1')))).toBe('400 invalid limit "-1"');
    expect(badRequest(() => parseListParams(q('limit=x')))).toBe('400 invalid limit "x"');
    expect(badRequest(() => parseListParams(q('limit=1.5')))).toBe('400 invalid limit "1.5"');
  });

  it('refuses a continue token it cannot read', () => {
    expect(badRequest(() => parseListParams(q('continue=garbage')))).toBe('400 continue key is not valid: malformed token');
  });
});

describe('watch parameters', () => {
  it('reads resourceVersion, timeoutSeconds and allowWatchBookmarks', () => {
    expect(parseWatchParams(q('resourceVersion=12&timeoutSeconds=5&allowWatchBookmarks=true'))).toMatchObject({
      resourceVersion: 12,
      timeoutSeconds: 5,
      allowWatchBookmarks: true,
    });
  });

  it('treats an empty timeoutSeconds as unset, as Go decodes ListOptions (the default applies)', () => {
    expect(parseWatchParams(q('timeoutSeconds=')).timeoutSeconds).toBe(DEFAULT_WATCH_TIMEOUT_SECONDS);
    expect(parseWatchParams(q('')).timeoutSeconds).toBe(DEFAULT_WATCH_TIMEOUT_SECONDS);
    expect(parseWatchParams(q('timeoutSeconds=0')).timeoutSeconds).toBe(0);
  });

  it('treats unset, empty and "0" resourceVersion alike: start from the current state', () => {
    for (const text of ['', 'resourceVersion=', 'resourceVersion=0']) expect(parseWatchParams(q(text)).resourceVersion).toBe(0);
  });

  it('refuses bad resourceVersion and timeoutSeconds', () => {
    expect(badRequest(() => parseWatchParams(q('resourceVersion=abc')))).toBe('400 invalid resourceVersion "abc"');
    expect(badRequest(() => parseWatchParams(q('timeoutSeconds=-1')))).toBe('400 invalid timeoutSeconds "-1"');
    expect(badRequest(() => parseWatchParams(q('timeoutSeconds=soon')))).toBe('400 invalid timeoutSeconds "soon"');
  });

  it('refuses numbers past int64/uint64 with 400, and cuts a timeout to what a timer holds', () => {
    expect(badRequest(() => parseListParams(q('limit=99999999999999999999999')))).toBe('400 invalid limit "99999999999999999999999": value out of range (at most 9223372036854775807)');
    expect(badRequest(() => parseWatchParams(q('timeoutSeconds=99999999999999999999999')))).toMatch(/^400 invalid timeoutSeconds .*value out of range/);
    expect(badRequest(() => parseWatchParams(q('resourceVersion=99999999999999999999999')))).toMatch(/^400 invalid resourceVersion .*value out of range/);
    expect(parseWatchParams(q('timeoutSeconds=9223372036854775807')).timeoutSeconds).toBe(MAX_WATCH_TIMEOUT_SECONDS);
    expect(parseListParams(q('limit=9223372036854775807')).limit).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('boolean parameters', () => {
  it('read watch and allowWatchBookmarks as the apiserver does: only "0" and "false" in any case are false', () => {
    for (const value of ['true', 'True', '1', 't', 'yes', '']) {
      expect(parseRequestInfo('GET', '/api/v1/pods', q(`watch=${value}`)).verb).toBe('watch');
      expect(parseWatchParams(q(`allowWatchBookmarks=${value}`)).allowWatchBookmarks).toBe(true);
    }
    for (const value of ['false', 'False', 'FALSE', '0']) {
      expect(parseRequestInfo('GET', '/api/v1/pods', q(`watch=${value}`)).verb).toBe('list');
      expect(parseWatchParams(q(`allowWatchBookmarks=${value}`)).allowWatchBookmarks).toBe(false);
    }
    expect(parseWatchParams(q('')).allowWatchBookmarks).toBe(false);
  });
});
