/**
 * `outpost status` once or with `-w` (docs/status.md § Watching): gather, print, wait the
 * interval, again until the signal aborts. On a terminal each refresh redraws the screen in
 * place; elsewhere (a pipe, a file, a test) every refresh is a new block, so nothing printed is
 * ever overwritten. `-o json` prints one JSON document per line, one per refresh.
 */
import { abortableSleep } from '../../shared/abortable-sleep.js';
import { renderStatus } from './render-status.js';
import type { StatusSnapshot } from './status-snapshot.js';

export type StatusFormat = 'text' | 'json';

export interface StatusOutput {
  write(text: string): void;
  /** A terminal: redraw in place. */
  isTTY: boolean;
}

export interface ShowStatusOptions {
  gather: () => Promise<StatusSnapshot>;
  out: StatusOutput;
  format: StatusFormat;
  /** Refresh every intervalMs until the signal aborts; undefined: show once. */
  watch?: { intervalMs: number; signal: AbortSignal };
  now?: () => Date;
}

/** Home and clear screen, as watch(1) redraws. */
const REDRAW = '\u001b[H\u001b[2J';

export function formatSnapshot(snapshot: StatusSnapshot, format: StatusFormat, now: Date): string {
  return format === 'json' ? `${JSON.stringify(snapshot)}\n` : renderStatus(snapshot, now);
}

/** Shows the status once, or until the watch's signal aborts; returns the last snapshot shown. */
export async function showStatus(options: ShowStatusOptions): Promise<StatusSnapshot> {
  const now = options.now ?? (() => new Date());
  const { out, watch } = options;
  let refreshes = 0;
  for (;;) {
    const snapshot = await options.gather();
    const text = formatSnapshot(snapshot, options.format, now());
    if (watch === undefined) {
      out.write(text);
      return snapshot;
    }
    if (options.format === 'json') out.write(text);
    else if (out.isTTY) out.write(`${REDRAW}${text}`);
    else out.write(`${refreshes > 0 ? '\n' : ''}${text}`);
    refreshes++;
    await abortableSleep(watch.intervalMs, watch.signal);
    if (watch.signal.aborted) return snapshot;
  }
}
