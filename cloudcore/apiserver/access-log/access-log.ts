import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../../shared/logging.js';
import { redactTarget } from './redact-target.js';

/**
 * The API access log (docs/logging.md § Access log): a line per request at debug, and at info for
 * every 4xx and 5xx, so that failures show at the default level; watches and streams get a line
 * when they start and one when they end.
 */
export interface AccessLog {
  /** Starts the record of one request; its line is written when `closed` emits `close`. */
  begin(req: IncomingMessage, closed: { once(event: 'close', listener: () => void): unknown }, status: () => number): AccessRecord;
}

export interface AccessRecord {
  /** The authenticated (or impersonated) user, once known. */
  setUser(name: string | undefined): void;
  /** A watch or stream is served from now: a start line now, the end line when it closes. */
  streamStarted(): void;
}

/** Only failures are worth a line at the default level; successes are for debugging. */
export function accessLevel(status: number): 'debug' | 'info' {
  return status >= 400 ? 'info' : 'debug';
}

export function createAccessLog(logger: Logger, now: () => bigint = process.hrtime.bigint): AccessLog {
  return {
    begin(req, closed, status) {
      const started = now();
      const method = req.method ?? 'GET';
      const path = redactTarget(req.url);
      let user: string | undefined;
      let streaming = false;
      const fields = () => ({
        method,
        path,
        user,
        userAgent: req.headers['user-agent'],
        remote: req.socket.remoteAddress === undefined ? undefined : `${req.socket.remoteAddress}:${req.socket.remotePort ?? ''}`,
      });
      closed.once('close', () => {
        const code = status();
        const durationMs = Math.round(Number(now() - started) / 1e5) / 10;
        const line = { ...fields(), status: code, durationMs, ...(streaming ? { stream: 'ended' } : {}) };
        logger[accessLevel(code)](line, `${method} ${path} ${code}${streaming ? ' (stream ended)' : ''}`);
      });
      return {
        setUser(name) {
          user = name;
        },
        streamStarted() {
          if (streaming) return;
          streaming = true;
          logger.debug({ ...fields(), stream: 'started' }, `${method} ${path} (stream started)`);
        },
      };
    },
  };
}
