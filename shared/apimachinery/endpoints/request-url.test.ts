import { describe, expect, it } from 'vitest';
import { requestUrl } from './request-url.js';

describe('requestUrl', () => {
  it('reads a target starting with // as a path, not as a host (it was a 500 found by the fuzz suite)', () => {
    expect(requestUrl('///%/.?limit=1')?.pathname).toBe('///%/');
    expect(requestUrl('//api/v1/pods')?.pathname).toBe('//api/v1/pods');
  });

  it('keeps the path and query of ordinary targets', () => {
    const url = requestUrl('/api/v1/namespaces/a/pods?labelSelector=app%3Dx&watch=1');
    expect(url?.pathname).toBe('/api/v1/namespaces/a/pods');
    expect(url?.searchParams.get('labelSelector')).toBe('app=x');
    expect(requestUrl(undefined)?.pathname).toBe('/');
    expect(requestUrl('*')?.pathname).toBe('/*');
  });
});
