/**
 * edged's volume manager (kubelet's volumemanager, without attach/detach): sets up every volume
 * of a pod before its containers are created, again on each sync (so configMap and secret files
 * follow their objects), and tears the pod's volumes down when the pod is gone: tmpfs unmounted,
 * folders removed, its service-account token revoked. A start-up sweep removes the volumes of
 * pods that are neither in edge.db nor in the runtime any more.
 */
import { readdirSync, rmSync } from 'node:fs';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import { hostMachineInfo, type MachineInfo, type ObjectLookup, type Pod } from '../podspec/index.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';
import { unmountUnder } from './tmpfs.js';
import { podDir } from './volume-layout.js';
import { setupVolume, type ResolvedVolume } from './volume-setup.js';

export interface VolumeFailure {
  volume: string;
  /** kubelet's reason, e.g. `configmap "app-config" not found`. */
  message: string;
}

export interface PodVolumes {
  /** Volume name → where it is on the host. */
  volumes: ReadonlyMap<string, ResolvedVolume>;
  /** Volumes that could not be set up: the pod's containers wait (CreateContainerConfigError). */
  failures: readonly VolumeFailure[];
}

export interface VolumeManagerOptions {
  /** Folder under which each pod's volumes live (`<root>/<podUid>/volumes/...`). */
  root: string;
  lookup: ObjectLookup;
  /** Issues pods' service-account tokens; without it, serviceAccountToken projections fail. */
  tokens?: ServiceAccountTokens;
  machine?: MachineInfo;
}

export interface VolumeManager {
  setupPod(pod: Pod): Promise<PodVolumes>;
  /** What the last setupPod of this pod answered. */
  current(uid: string): PodVolumes | undefined;
  teardownPod(uid: string): Promise<Result<void>>;
  /** Tears down the volumes of every pod folder whose uid is not in `keep`; answers the uids removed. */
  sweep(keep: ReadonlySet<string>): Promise<Result<string[]>>;
}

export function createVolumeManager(options: VolumeManagerOptions): VolumeManager {
  const machine = options.machine ?? hostMachineInfo();
  const states = new Map<string, PodVolumes>();
  /** Pods this manager has set up (or is setting up): never swept, whatever the caller's list says. */
  const active = new Set<string>();

  async function setupPod(pod: Pod): Promise<PodVolumes> {
    active.add(pod.metadata.uid);
    const volumes = new Map<string, ResolvedVolume>();
    const failures: VolumeFailure[] = [];
    const ctx = { root: options.root, pod, lookup: options.lookup, machine, tokens: options.tokens };
    for (const raw of pod.spec.volumes ?? []) {
      const name = typeof raw.name === 'string' ? raw.name : '';
      let result: Result<ResolvedVolume>;
      try {
        result = await setupVolume(ctx, raw);
      } catch (err) {
        // An I/O error from a sync fs call: this volume fails, the others are still set up.
        result = fail('Internal', errorMessage(err));
      }
      if (result.ok) volumes.set(name, result.value);
      else failures.push({ volume: name, message: result.message });
    }
    const state = { volumes, failures };
    states.set(pod.metadata.uid, state);
    return state;
  }

  async function teardownPod(uid: string): Promise<Result<void>> {
    states.delete(uid);
    active.delete(uid);
    options.tokens?.revoke(uid);
    const dir = podDir(options.root, uid);
    if (!dir.ok) return ok(undefined); // no folder could ever have been made for it
    const stuck = await unmountUnder(dir.value);
    // Never remove a folder with a mount still under it: rm would empty the mounted filesystem.
    if (stuck.length > 0) return fail('Unavailable', `could not unmount the volumes of pod ${uid}: ${stuck.join('; ')}`);
    try {
      rmSync(dir.value, { recursive: true, force: true });
      return ok(undefined);
    } catch (err) {
      return fail('Internal', `removing the volumes of pod ${uid}: ${errorMessage(err)}`);
    }
  }

  async function sweep(keep: ReadonlySet<string>): Promise<Result<string[]>> {
    let entries: string[];
    try {
      entries = readdirSync(options.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok([]);
      return fail('Internal', `reading ${options.root}: ${errorMessage(err)}`);
    }
    const removed: string[] = [];
    const problems: string[] = [];
    for (const uid of entries.filter((e) => !keep.has(e) && !active.has(e))) {
      const result = await teardownPod(uid);
      if (result.ok) removed.push(uid);
      else problems.push(result.message);
    }
    return problems.length === 0 ? ok(removed) : fail('Unavailable', problems.join('; '));
  }

  return { setupPod, current: (uid) => states.get(uid), teardownPod, sweep };
}
