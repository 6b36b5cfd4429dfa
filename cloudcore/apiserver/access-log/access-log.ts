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
      let user: string | undefined;
      let streaming = false;
      // Read now: a socket that has closed no longer knows its peer.
      const { remoteAddress, remotePort } = req.socket;
      // Built only for a line that is written: most requests at the default level write none.
      const fields = () => ({
        method,
        path: redactTarget(req.url),
        user,
        userAgent: req.headers['user-agent'],
        remote: remoteAddress === undefined ? undefined : `${remoteAddress}:${remotePort ?? ''}`,
      });
      closed.once('close', () => {
        const code = status();
        const level = accessLevel(code);
        if (!logger.isLevelEnabled(level)) return;
        const durationMs = Math.round(Number(now() - started) / 1e5) / 10;
        const line = { ...fields(), status: code, durationMs, ...(streaming ? { stream: 'ended' } : {}) };
        logger[level](line, `${method} ${line.path} ${code}${streaming ? ' (stream ended)' : ''}`);
      });
      return {
        setUser(name) {
          user = name;
        },
        streamStarted() {
          if (streaming) return;
          streaming = true;
          if (!logger.isLevelEnabled('debug')) return;
          const line = { ...fields(), stream: 'started' };
          logger.debug(line, `${method} ${line.path} (stream started)`);
        },
      };
    },
  };
}
