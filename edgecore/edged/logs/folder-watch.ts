/**
 * Wakes a follower when a log folder changes (inotify through fs.watch on the folder, which sees
 * both appends and the rename and re-creation of a rotation), with a poll as the fallback: a
 * missed or unsupported notification only delays a line by one poll period.
 */
import { watch, type FSWatcher } from 'node:fs';

export interface FolderWatch {
  /** Resolves on the next change (or one already seen since the last wait), after `ms`, or on abort. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  close(): void;
}

export function watchFolder(dir: string, onWatchFailed: (reason: string) => void): FolderWatch {
  let dirty = false;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const changed = (): void => {
    dirty = true;
    const w = wake;
    wake = undefined;
    w?.();
  };
  try {
    watcher = watch(dir, { persistent: false }, changed);
    watcher.on('error', (err) => {
      onWatchFailed(err.message);
      watcher?.close();
      watcher = undefined;
    });
  } catch (err) {
    // No inotify (or too many watches): polling alone still follows the file.
    onWatchFailed(err instanceof Error ? err.message : String(err));
  }
  return {
    wait(ms, signal) {
      if (dirty || signal.aborted) {
        dirty = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          dirty = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    close() {
      watcher?.close();
      watcher = undefined;
      changed();
    },
  };
}
