import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { healthChecks, healthPath, serveHealth } from './health.js';

function answer(endpoint: 'livez' | 'readyz', ready: boolean, checkPath: string, query = ''): { code: number; body: string } {
  const out = { code: 0, body: '' };
  const res = { writeHead: (code: number) => (out.code = code), end: (body: string) => (out.body = body) } as unknown as ServerResponse;
  serveHealth(res, endpoint, healthChecks(() => ready)[endpoint], checkPath, new URLSearchParams(query));
  return out;
}

describe('health endpoints as kube-apiserver answers them', () => {
  it('answer ok, or list the checks with ?verbose', () => {
    expect(answer('livez', true, '')).toEqual({ code: 200, body: 'ok' });
    expect(answer('livez', true, '', 'verbose')).toEqual({ code: 200, body: '[+]ping ok\n[+]log ok\nlivez check passed\n' });
    expect(answer('readyz', true, '', 'verbose=true')).toEqual({ code: 200, body: '[+]ping ok\n[+]log ok\n[+]shutdown ok\nreadyz check passed\n' });
  });

  it('fail with 500 and the failing check, and honour exclude', () => {
    expect(answer('readyz', false, '')).toEqual({ code: 500, body: '[+]ping ok\n[+]log ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n' });
    expect(answer('readyz', false, '', 'exclude=shutdown&verbose')).toEqual({ code: 200, body: '[+]ping ok\n[+]log ok\n[+]shutdown excluded: ok\nreadyz check passed\n' });
  });

  it('add a server\'s own checks, and route /livez/ping to its check', () => {
    const out = { code: 0, body: '' };
    const res = { writeHead: (code: number) => (out.code = code), end: (body: string) => (out.body = body) } as unknown as ServerResponse;
    serveHealth(res, 'livez', healthChecks(() => true, [{ name: 'edge-db', check: () => false }]).livez, '', new URLSearchParams());
    expect(out).toEqual({ code: 500, body: '[+]ping ok\n[+]log ok\n[-]edge-db failed: reason withheld\nlivez check failed\n' });
    expect(healthPath('/livez/ping')).toEqual({ endpoint: 'livez', checkPath: 'ping' });
    expect(healthPath('/readyz')).toEqual({ endpoint: 'readyz', checkPath: '' });
    expect(healthPath('/metrics')).toBeUndefined();
  });

  it('run one check at its own path', () => {
    expect(answer('livez', true, 'ping')).toEqual({ code: 200, body: 'ok' });
    expect(answer('readyz', false, 'shutdown')).toEqual({ code: 500, body: 'internal server error: shutdown failed\n' });
    expect(answer('livez', true, 'nope').code).toBe(404);
  });
});
