/**
 * Turns CRI log lines into what `kubectl logs` prints, as kubelet's ReadLogs does
 * (pkg/kubelet/kuberuntime/logs): partial lines joined with the next, `--timestamps` as the line's
 * time and a space before each logical line, `sinceTime` by the line's own time, and
 * `limitBytes` cutting the output short.
 */
import type { CriLogLine } from './cri-log-line.js';

export interface LogOutputOptions {
  timestamps: boolean;
  /** Lines older than this (epoch nanoseconds) are skipped. */
  sinceNanos?: bigint;
  limitBytes?: number;
}

const NEWLINE = Buffer.from('\n');

export class LogOutput {
  private written = 0;
  /** Whether the last line taken was partial: the next continues it, without a timestamp. */
  private continuing = false;

  constructor(private readonly options: LogOutputOptions) {}

  /** True once limitBytes is reached: nothing more will be taken. */
  get full(): boolean {
    return this.options.limitBytes !== undefined && this.written >= this.options.limitBytes;
  }

  /** The bytes one line adds to the output (possibly none). */
  take(line: CriLogLine): Buffer[] {
    if (this.full) return [];
    if (this.options.sinceNanos !== undefined && line.nanos < this.options.sinceNanos) return [];
    const parts: Buffer[] = [];
    if (this.options.timestamps && !this.continuing) parts.push(Buffer.from(`${line.time} `));
    parts.push(line.text);
    if (!line.partial) parts.push(NEWLINE);
    this.continuing = line.partial;
    return this.limit(parts);
  }

  private limit(parts: Buffer[]): Buffer[] {
    const max = this.options.limitBytes;
    const kept: Buffer[] = [];
    for (const part of parts) {
      const room = max === undefined ? part.length : Math.min(part.length, max - this.written);
      if (room <= 0) break;
      kept.push(room === part.length ? part : part.subarray(0, room));
      this.written += room;
    }
    return kept;
  }
}
