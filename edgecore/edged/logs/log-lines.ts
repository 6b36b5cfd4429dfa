/**
 * The raw lines of a container's log file from an offset. Following, it waits for more at the
 * end, crosses a rotation (the path now names a new file: the old one is drained first, then the
 * new one read from its start, as kubelet's follower reopens on fsnotify Create), and ends once
 * the container no longer runs and the file is drained.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { watchFolder } from './folder-watch.js';

export interface LogLinesOptions {
  follow: boolean;
  signal: AbortSignal;
  /** Asked at the end of the file while following; false ends the follow once drained. */
  stillRunning: () => Promise<boolean>;
  /** The longest a follower sleeps without a change notification. */
  pollMs: number;
  onWatchFailed: (reason: string) => void;
}

const READ_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** Whether `path` now names another file than the open one (renamed away by a rotation). */
async function replaced(path: string, file: FileHandle): Promise<boolean> {
  try {
    const [named, opened] = await Promise.all([stat(path), file.stat()]);
    return named.ino !== opened.ino || named.dev !== opened.dev;
  } catch (err) {
    // Between the rename and ReopenContainerLog the path does not exist yet: keep the old file.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Batches of complete lines (each with its newline); a last unterminated line comes at the very end. */
export async function* readLogLines(path: string, startOffset: number, options: LogLinesOptions): AsyncGenerator<Buffer[]> {
  let file = await open(path, 'r');
  let position = startOffset;
  let rest = Buffer.alloc(0);
  let lastPass = false;
  const watcher = options.follow ? watchFolder(dirname(path), options.onWatchFailed) : undefined;
  const buffer = Buffer.alloc(READ_BYTES);
  try {
    while (!options.signal.aborted) {
      const { bytesRead } = await file.read(buffer, 0, READ_BYTES, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const data = rest.length === 0 ? buffer.subarray(0, bytesRead) : Buffer.concat([rest, buffer.subarray(0, bytesRead)]);
        const lines: Buffer[] = [];
        let start = 0;
        for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
          lines.push(Buffer.from(data.subarray(start, nl + 1)));
          start = nl + 1;
        }
        rest = Buffer.from(data.subarray(start));
        if (lines.length > 0) yield lines;
        continue;
      }
      if (options.follow && !lastPass && (await replaced(path, file))) {
        if (rest.length > 0) yield [rest];
        rest = Buffer.alloc(0);
        await file.close();
        file = await open(path, 'r');
        position = 0;
        continue;
      }
      if (!options.follow || lastPass) break;
      if (!(await options.stillRunning())) {
        // One more pass: what the container wrote just before it stopped is still sent.
        lastPass = true;
        continue;
      }
      await watcher?.wait(options.pollMs, options.signal);
    }
    if (rest.length > 0 && !options.signal.aborted) yield [rest];
  } finally {
    watcher?.close();
    await file.close();
  }
}
