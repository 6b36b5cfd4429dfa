/**
 * Container log rotation (kubelet's ContainerLogManager: containerLogMaxSize 10 Mi,
 * containerLogMaxFiles 5, checked every containerLogMonitorInterval 10 s). A running container's
 * log above the size is renamed to `<path>.<stamp>` and the runtime told to reopen it
 * (CRI ReopenContainerLog); at most maxFiles files per container stay, the live one included,
 * so the oldest rotated ones are removed first.
 */
import { access, rename, rm, stat } from 'node:fs/promises';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import type { CriClient } from '../cri/index.js';
import { LABELS, MANAGED_BY_VALUE } from '../podspec/index.js';
import { rotatedLogsOf, rotatedName } from './rotated-logs.js';

export interface LogRotationSettings {
  maxBytes: number;
  /** Files kept per container, the live one included (≥ 2). */
  maxFiles: number;
  intervalMs: number;
}

export const DEFAULT_LOG_ROTATION: LogRotationSettings = { maxBytes: 10 * 1024 * 1024, maxFiles: 5, intervalMs: 10_000 };

export interface LogRotationOptions extends Partial<LogRotationSettings> {
  cri: CriClient;
  logger: Logger;
  now?: () => Date;
}

export interface LogRotator extends Module {
  /** One check of every running container now; answers the logs it rotated. */
  checkNow(): Promise<string[]>;
}

export function createLogRotator(options: LogRotationOptions): LogRotator {
  const settings: LogRotationSettings = {
    maxBytes: options.maxBytes ?? DEFAULT_LOG_ROTATION.maxBytes,
    maxFiles: Math.max(2, options.maxFiles ?? DEFAULT_LOG_ROTATION.maxFiles),
    intervalMs: options.intervalMs ?? DEFAULT_LOG_ROTATION.intervalMs,
  };
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<string[]> | undefined;
  let stopped = false;

  async function checkAll(): Promise<string[]> {
    const listed = await options.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' }, labelSelector: { [LABELS.managedBy]: MANAGED_BY_VALUE } });
    if (!listed.ok) {
      log.debug({ message: listed.message }, 'log rotation: the runtime does not answer');
      return [];
    }
    const rotated: string[] = [];
    for (const item of listed.value) {
      const status = await options.cri.containerStatus(item.id);
      if (!status.ok || status.value.status.logPath === '') continue;
      const path = status.value.status.logPath;
      const result = await rotateIfLarge(item.id, path);
      if (!result.ok) log.warn({ container: item.id, path, message: result.message }, 'container log rotation failed');
      else if (result.value) rotated.push(path);
    }
    return rotated;
  }

  async function rotateIfLarge(id: string, path: string): Promise<Result<boolean>> {
    try {
      const size = (await stat(path)).size;
      if (size <= settings.maxBytes) return ok(false);
      // Room for the file about to be rotated: maxFiles − 1 rotated ones remain with the live one.
      const old = await rotatedLogsOf(path);
      for (const file of old.slice(0, Math.max(0, old.length - (settings.maxFiles - 2)))) await rm(file, { force: true });
      const target = rotatedName(path, now());
      if (await exists(target)) return ok(false); // rotated this very second already: next check
      await rename(path, target);
      const reopened = await options.cri.reopenContainerLog(id);
      if (!reopened.ok) {
        // As kubelet: put the file back, so the container's output still lands where it is read.
        await rename(target, path);
        return fail('Internal', `ReopenContainerLog: ${reopened.message}`);
      }
      return ok(true);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(false); // the container went meanwhile
      return fail('Internal', errorMessage(err));
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = checkAll().finally(() => {
        running = undefined;
        schedule();
      });
    }, settings.intervalMs);
    timer.unref();
  }

  return {
    name: 'log-rotation',
    async start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
    checkNow: () => checkAll(),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
