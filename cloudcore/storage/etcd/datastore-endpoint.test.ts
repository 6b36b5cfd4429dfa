import { describe, expect, it } from 'vitest';
import { parseDatastoreEndpoint } from './datastore-endpoint.js';

describe('parseDatastoreEndpoint', () => {
  it('reads etcd:// lists as http, or https with TLS files', () => {
    expect(parseDatastoreEndpoint('etcd://h1:2379,h2:2380', false)).toEqual({ ok: true, endpoints: ['http://h1:2379', 'http://h2:2380'] });
    expect(parseDatastoreEndpoint('etcd://10.0.0.1', true)).toEqual({ ok: true, endpoints: ['https://10.0.0.1:2379'] });
  });

  it('takes http(s) URL lists', () => {
    expect(parseDatastoreEndpoint('http://a:1, http://b:2', false)).toEqual({ ok: true, endpoints: ['http://a:1', 'http://b:2'] });
    expect(parseDatastoreEndpoint('https://a:1', true)).toEqual({ ok: true, endpoints: ['https://a:1'] });
  });

  it('refuses what is not an endpoint list, saying why', () => {
    for (const [text, tls, why] of [
      ['etcd://', false, 'names no etcd member'],
      ['etcd://a:1,,b:2', false, 'names no etcd member'],
      ['mysql://a:1', false, 'scheme'],
      ['https://a:1', false, '--datastore-cafile'],
      ['http://a:1,https://b:2', true, 'mixes'],
      ['http://a:1/path', false, 'just a host and port'],
      ['a b', false, 'not host:port'],
    ] as const) {
      const parsed = parseDatastoreEndpoint(text, tls);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(why);
    }
  });
});
