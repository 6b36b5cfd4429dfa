import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../../shared/logging.js';
import type { Module } from '../../../shared/lifecycle.js';
import { writeCniConfig, findCniPluginDir } from './cni-config.js';
import { renderContainerdConfig, writeContainerdConfig } from './containerd-config-file.js';
import { containerdLayout, usesShortSocketDir, type ContainerdLayout } from './containerd-layout.js';
import { findContainerdWithConfig, isContainerdWithConfig, probeContainerd } from './containerd-process.js';
import { launchContainerd } from './launch-containerd.js';

export interface EmbeddedContainerdOptions {
  /** <dataDir>/edges/<node> */
  edgeDir: string;
  podCidr: string;
  pauseImage: string;
  logger: Logger;
  containerdBinary?: string;
  /** First wait before a restart; doubles on each quick failure, up to MAX_BACKOFF_MS. */
  restartBackoffMs?: number;
  /** Default false: stop() leaves containerd running for the next edgecore to adopt (containers keep running either way). */
  stopOnExit?: boolean;
}

export type ContainerdState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface EmbeddedContainerd extends Module {
  readonly layout: ContainerdLayout;
  /** 'unix://' + socket, as CRI clients take it. */
  endpoint(): string;
  state(): ContainerdState;
  pid(): number | undefined;
  /** Called after containerd was restarted (not after the first start); returns an unsubscribe. */
  onRestart(listener: () => void): () => void;
  /** Stops containerd (SIGTERM, then SIGKILL after a timeout) and ends supervision. */
  terminate(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
/** A containerd that ran this long before dying restarts after the first back-off again. */
const STABLE_RUN_MS = 60_000;
/** How often an adopted containerd (not our child: no exit event) is checked. */
const ADOPTED_WATCH_MS = 500;
const TERM_TIMEOUT_MS = 10_000;

export function createEmbeddedContainerd(options: EmbeddedContainerdOptions): EmbeddedContainerd {
  const layout = containerdLayout(options.edgeDir);
  const log = options.logger.child({ module: 'containerd' });
  const binary = options.containerdBinary ?? 'containerd';
  const baseBackoff = options.restartBackoffMs ?? 1_000;
  const listeners = new Set<() => void>();
  let state: ContainerdState = 'idle';
  let pid: number | undefined;
  let runningSince = 0;
  let quickFailures = 0;
  /** Bumped whenever supervision of the current process ends, so stale callbacks do nothing. */
  let generation = 0;
  let supervising = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let adoptedWatch: NodeJS.Timeout | undefined;
  let terminating: Promise<void> | undefined;

  function prepareFiles(cniBinDir: string): { configChanged: boolean } {
    for (const dir of [layout.dir, layout.root, layout.state, layout.runcRoot]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (usesShortSocketDir(layout)) mkdirSync(dirname(layout.socket), { recursive: true, mode: 0o700 });
    const cni = writeCniConfig(layout, options.podCidr);
    if (!cni.ok) throw new Error(cni.message);
    const input = { layout, pauseImage: options.pauseImage, cniBinDir };
    const before = existsSync(layout.configFile) ? readFileSync(layout.configFile, 'utf8') : undefined;
    const written = writeContainerdConfig(input);
    if (!written.ok) throw new Error(written.message);
    return { configChanged: before !== undefined && before !== renderContainerdConfig(input) };
  }

  function stopWatching(): void {
    generation++;
    if (restartTimer !== undefined) clearTimeout(restartTimer);
    if (adoptedWatch !== undefined) clearInterval(adoptedWatch);
    restartTimer = undefined;
    adoptedWatch = undefined;
  }

  /** containerd went away while supervised: restart it after a back-off. */
  function onDeath(why: string): void {
    if (!supervising) return;
    stopWatching();
    if (Date.now() - runningSince > STABLE_RUN_MS) quickFailures = 0;
    const delay = Math.min(baseBackoff * 2 ** quickFailures, MAX_BACKOFF_MS);
    quickFailures++;
    state = 'restarting';
    pid = undefined;
    log.warn({ why, delayMs: delay }, 'containerd died; restarting it');
    const myGeneration = generation;
    restartTimer = setTimeout(() => void restart(myGeneration), delay);
    restartTimer.unref();
  }

  async function restart(myGeneration: number): Promise<void> {
    if (!supervising || myGeneration !== generation) return;
    const launched = await launchContainerd(binary, layout, AbortSignal.timeout(60_000));
    if (!supervising || myGeneration !== generation) {
      if (launched.ok) launched.value.child.kill('SIGTERM');
      return;
    }
    if (!launched.ok) {
      onDeath(launched.message);
      return;
    }
    watchChild(launched.value.pid, launched.value.exited);
    log.info({ pid }, 'containerd restarted');
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        log.error({ err }, 'containerd restart listener failed');
      }
    }
  }

  function markRunning(newPid: number): void {
    pid = newPid;
    state = 'running';
    runningSince = Date.now();
  }

  function watchChild(newPid: number, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>): void {
    markRunning(newPid);
    const myGeneration = generation;
    void exited.then((e) => {
      if (myGeneration === generation) onDeath(`exited with code ${e.code}, signal ${e.signal}`);
    });
  }

  /** An adopted containerd is not our child, so its end is noticed by polling /proc. */
  function watchAdopted(adoptedPid: number): void {
    markRunning(adoptedPid);
    adoptedWatch = setInterval(() => {
      if (!isContainerdWithConfig(adoptedPid, layout.configFile)) onDeath(`adopted containerd ${adoptedPid} is gone`);
    }, ADOPTED_WATCH_MS);
    adoptedWatch.unref();
  }

  async function signalAndWait(target: number): Promise<void> {
    const trySignal = (sig: NodeJS.Signals): void => {
      try {
        process.kill(target, sig);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    };
    const gone = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!isContainerdWithConfig(target, layout.configFile)) return true;
        await sleep(50);
      }
      return !isContainerdWithConfig(target, layout.configFile);
    };
    if (!isContainerdWithConfig(target, layout.configFile)) return;
    trySignal('SIGTERM');
    if (await gone(TERM_TIMEOUT_MS)) return;
    log.warn({ pid: target }, 'containerd ignored SIGTERM; killing it');
    trySignal('SIGKILL');
    await gone(TERM_TIMEOUT_MS);
  }

  const module: EmbeddedContainerd = {
    name: 'containerd',
    layout,
    endpoint: () => `unix://${layout.socket}`,
    state: () => state,
    pid: () => pid,
    onRestart(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async start(signal) {
      if (state !== 'idle' && state !== 'stopped' && state !== 'failed') throw new Error(`containerd supervisor is already ${state}`);
      state = 'starting';
      terminating = undefined;
      try {
        const { configChanged } = prepareFiles(await findCniPluginDir());
        const existing = findContainerdWithConfig(layout.pidFile, layout.configFile);
        if (existing !== undefined && configChanged) {
          // It loaded an older config: replace it. Containers live on in their shims and the new
          // containerd reconnects to them (same root and state).
          log.info({ pid: existing }, 'containerd config changed; restarting the running containerd');
          await signalAndWait(existing);
        } else if (existing !== undefined) {
          const probe = await probeContainerd(layout.socket);
          if (probe.ok) {
            supervising = true;
            watchAdopted(existing);
            log.info({ pid: existing, socket: layout.socket }, 'adopted running containerd');
            return;
          }
          // Ours but not answering (hung or still starting after a crash loop): replace it.
          log.warn({ pid: existing, probe: probe.message }, 'containerd with our config does not answer; replacing it');
          await signalAndWait(existing);
        }
        const launched = await launchContainerd(binary, layout, signal);
        if (!launched.ok) throw new Error(launched.message);
        supervising = true;
        watchChild(launched.value.pid, launched.value.exited);
        log.info({ pid, socket: layout.socket }, 'containerd started');
      } catch (err) {
        state = 'failed';
        throw err;
      }
    },

    async stop() {
      if (options.stopOnExit === true) return module.terminate();
      supervising = false;
      stopWatching();
      if (state !== 'idle') state = 'stopped';
    },

    terminate() {
      terminating ??= (async () => {
        supervising = false;
        stopWatching();
        // The pid we last knew may be gone (stop() then another supervisor restarted it): look again.
        const known = pid !== undefined && isContainerdWithConfig(pid, layout.configFile) ? pid : undefined;
        const target = known ?? findContainerdWithConfig(layout.pidFile, layout.configFile);
        if (target !== undefined) await signalAndWait(target);
        rmSync(layout.pidFile, { force: true });
        pid = undefined;
        state = 'stopped';
        log.info('containerd stopped');
      })();
      return terminating;
    },
  };
  return module;
}
