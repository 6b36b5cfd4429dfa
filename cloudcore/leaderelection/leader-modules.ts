import { ModuleGroup, type Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';

/**
 * The modules that run on the leader only (docs/leader-election.md § What runs where), started
 * for each term and stopped at its end: the elector's onStartedLeading and onStoppedLeading.
 *
 * A stopped module is not started again (shared/lifecycle.ts): each term gets a fresh set from
 * `build`. The first set is built at once, before main.ts starts the informers, so the kinds
 * those controllers watch are listed with everything else at start.
 */
export interface LeaderModules {
  onStartedLeading(signal: AbortSignal): Promise<void>;
  onStoppedLeading(): Promise<void>;
}

export function createLeaderModules(build: () => Module[], logger: Logger): LeaderModules {
  let next: Module[] | undefined = build();
  let running: ModuleGroup | undefined;
  return {
    async onStartedLeading(signal) {
      const modules = next ?? build();
      next = undefined;
      const group = new ModuleGroup(modules, (message, module) => logger.debug({ module }, message));
      running = group;
      // A failed start stops what had started (ModuleGroup) and rejects: the elector ends the term.
      await group.start(signal);
    },
    async onStoppedLeading() {
      const group = running;
      running = undefined;
      await group?.stop();
    },
  };
}
