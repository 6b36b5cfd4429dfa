import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/logging.js';
import { accessLevel, createAccessLog, redactTarget } from './index.js';

function capture(level: string) {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ component: 'cloudcore', level, destination, format: 'json' }).child({ module: 'apiserver' }).child({ module: 'access' });
  return { logger, lines: () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function request(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method: 'GET', url, headers: { 'user-agent': 'kubectl/v1.32.0', authorization: 'Bearer sekret', ...headers }, socket: { remoteAddress: '127.0.0.1', remotePort: 50123 } } as unknown as IncomingMessage;
}

describe('redactTarget', () => {
  it('replaces the values of credential-like query parameters and keeps the rest as sent', () => {
    expect(redactTarget('/api/v1/pods?token=abc&limit=500')).toBe('/api/v1/pods?token=REDACTED&limit=500');
    expect(redactTarget('/x?access_token=a&Client-Secret=b&password&continue=eyJ%3D')).toBe('/x?access_token=REDACTED&Client-Secret=REDACTED&password=REDACTED&continue=eyJ%3D');
    expect(redactTarget('/x?%74oken=abc&%zz=1')).toBe('/x?%74oken=REDACTED&%zz=1');
    expect(redactTarget(undefined)).toBe('/');
    expect(redactTarget(`/${'a'.repeat(5000)}`).length).toBeLessThan(2100);
  });
});

describe('access log', () => {
  it('puts successes at debug and 4xx/5xx at info', () => {
    expect([200, 201, 101, 304, 400, 404, 409, 500, 503].map(accessLevel)).toEqual(['debug', 'debug', 'debug', 'debug', 'info', 'info', 'info', 'info', 'info']);
  });

  it('writes one line when the response closes, with method, target, status, user, duration, agent and address', () => {
    const { logger, lines } = capture('debug');
    let clock = 1_000_000_000n;
    const log = createAccessLog(logger, () => clock);
    const closed = new EventEmitter();
    const record = log.begin(request('/api/v1/namespaces/default/pods/web?token=t0ps3cret'), closed, () => 404);
    record.setUser('admin');
    expect(lines()).toEqual([]);
    clock += 12_345_678n;
    closed.emit('close');
    const [line] = lines();
    expect(line).toEqual({
      level: 30, time: expect.any(String), component: 'cloudcore', module: 'apiserver/access',
      method: 'GET', path: '/api/v1/namespaces/default/pods/web?token=REDACTED', user: 'admin', userAgent: 'kubectl/v1.32.0', remote: '127.0.0.1:50123',
      status: 404, durationMs: 12.3, msg: 'GET /api/v1/namespaces/default/pods/web?token=REDACTED 404',
    });
    expect(JSON.stringify(lines())).not.toContain('sekret');
  });

  it('logs a watch when it starts and when it ends; at info only failures show', () => {
    const debug = capture('debug');
    const info = capture('info');
    for (const { logger } of [debug, info]) {
      const log = createAccessLog(logger);
      const closed = new EventEmitter();
      const watch = log.begin(request('/api/v1/pods?watch=1'), closed, () => 200);
      watch.streamStarted();
      watch.streamStarted();
      closed.emit('close');
      const ok = new EventEmitter();
      log.begin(request('/version'), ok, () => 200);
      ok.emit('close');
    }
    expect(debug.lines().map((l) => [l.level, l.stream, l.status, l.msg])).toEqual([
      [20, 'started', undefined, 'GET /api/v1/pods?watch=1 (stream started)'],
      [20, 'ended', 200, 'GET /api/v1/pods?watch=1 200 (stream ended)'],
      [20, undefined, 200, 'GET /version 200'],
    ]);
    expect(info.lines()).toEqual([]);
  });
});
