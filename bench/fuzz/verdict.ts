import type { HttpCase } from './api-bodies.js';
import type { SendOutcome } from './http-sender.js';

/**
 * What counts against the API in a fuzz run (docs/limits.md § Fuzzing): a 5xx (save Kubernetes'
 * own 504 for a watch or list from a future resourceVersion), an answer that shows internals (storage
 * text, stack frames), no answer within the timeout, or a dropped connection.
 */
export type FindingKind = 'serverError' | 'leak' | 'hang' | 'connection' | 'crash' | 'unhealthy' | 'memory' | 'controlChanged' | 'sessionDisturbed';

export interface Finding {
  kind: FindingKind;
  /** Which case (with the seed, it reproduces the run), or -1 for a check outside any case. */
  caseIndex: number;
  detail: string;
}

/** Storage and runtime text that must never reach a client (docs/limits.md § API, "Internal errors"). */
const INTERNALS = /SQLITE_|sqlite3?\b|better-sqlite|node:internal|\n\s+at \S+ \(|\.[cm]?js:\d+:\d+|Maximum call stack|Cannot read propert|is not a function|undefined is not/i;

/** A watch from a revision the store has not reached: Kubernetes itself answers 504 (docs/limits.md § API). */
function isFutureRevision(c: HttpCase, status: number, body: string): boolean {
  return status === 504 && (body.includes('Too large resource version') || (c.method === 'HEAD' && body === ''));
}

/**
 * Node's HTTP server reads at most 16 KiB of request line and headers (--max-http-header-size);
 * past that it answers 431 and closes at once, and the client, still sending, may see a reset
 * instead of the 431. That is the server refusing cleanly, not failing.
 */
const MAX_REQUEST_HEAD_BYTES = 16 * 1024;
function headBytes(c: HttpCase): number {
  return Buffer.byteLength(c.path) + Object.entries(c.headers).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v) + 4, 0);
}

export function judge(c: HttpCase, outcome: SendOutcome, caseIndex: number): Finding | undefined {
  const what = `${c.label} (${c.method} ${c.path.slice(0, 200)})`;
  switch (outcome.kind) {
    case 'unsendable': return undefined;
    case 'hang': return { kind: 'hang', caseIndex, detail: `no answer within ${outcome.afterMs} ms: ${what}` };
    case 'connectionError':
      if (headBytes(c) > MAX_REQUEST_HEAD_BYTES - 1024) return undefined;
      return { kind: 'connection', caseIndex, detail: `${outcome.message}: ${what}` };
    case 'response': {
      if (outcome.status >= 500 && !isFutureRevision(c, outcome.status, outcome.body)) return { kind: 'serverError', caseIndex, detail: `${outcome.status} ${outcome.body.slice(0, 300)}: ${what}` };
      if (outcome.status >= 400 && INTERNALS.test(outcome.body)) return { kind: 'leak', caseIndex, detail: `${outcome.status} ${outcome.body.slice(0, 300)}: ${what}` };
      return undefined;
    }
  }
}
