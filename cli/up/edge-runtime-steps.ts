/**
 * What `outpost up` learns from an edge's onEdgedProgress hook: edged starts containerd and
 * imports its images in the background after the agent is up (edgecore/edged, start() returns at
 * once), so up records each step as it happens and waits for the ones it shows.
 */
import type { EdgedProgress, EdgedStartStep } from '../../edgecore/edged/index.js';

export type StepWait = { outcome: 'done'; detail: string | undefined } | { outcome: 'not-yet'; lastError: string | undefined };

export interface EdgeRuntimeSteps {
  /** The hook to give startEdgeAgent. */
  record(progress: EdgedProgress): void;
  /**
   * Resolves once `step` is done, or after `timeoutMs` or on abort with what it last failed with.
   * `onFailure` hears each failure (edged retries the whole start every few seconds).
   */
  waitFor(step: EdgedStartStep, options: { timeoutMs: number; signal: AbortSignal; onFailure?: (message: string) => void }): Promise<StepWait>;
}

export function createEdgeRuntimeSteps(): EdgeRuntimeSteps {
  const done = new Map<EdgedStartStep, string | undefined>();
  let lastError: string | undefined;
  const listeners = new Set<() => void>();
  const failureListeners = new Set<(message: string) => void>();
  return {
    record(progress) {
      if (progress.phase === 'done') done.set(progress.step, progress.detail);
      if (progress.phase === 'failed') {
        lastError = progress.detail;
        for (const listener of failureListeners) listener(progress.detail ?? 'failed');
      }
      for (const listener of listeners) listener();
    },
    waitFor(step, options) {
      return new Promise((resolve) => {
        const finish = (result: StepWait): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (options.onFailure !== undefined) failureListeners.delete(options.onFailure);
          options.signal.removeEventListener('abort', onAbort);
          resolve(result);
        };
        const check = (): void => {
          if (done.has(step)) finish({ outcome: 'done', detail: done.get(step) });
        };
        const onAbort = (): void => finish({ outcome: 'not-yet', lastError });
        const timer = setTimeout(onAbort, options.timeoutMs);
        listeners.add(check);
        if (options.onFailure !== undefined) failureListeners.add(options.onFailure);
        options.signal.addEventListener('abort', onAbort, { once: true });
        if (options.signal.aborted) onAbort();
        else check();
      });
    },
  };
}
