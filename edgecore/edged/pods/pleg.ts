/**
 * The pod lifecycle event generator (kubelet's GenericPLEG): every relist it lists edged's
 * sandboxes and containers and compares each one's state with the previous relist. A pod with
 * any change (appeared, changed state, disappeared) needs a sync; that is how edged notices a
 * container that exited or something done to the runtime behind its back.
 */
import { ok, type Result } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { LABELS, managedSelector } from './labels.js';

export interface RelistResult {
  /** Pod uids with a change since the previous relist. */
  changed: Set<string>;
  /** Every pod uid the runtime holds something for. */
  present: Set<string>;
}

export class Pleg {
  /** id → "uid|state" as of the previous relist. */
  private previous = new Map<string, string>();

  constructor(private readonly cri: CriClient) {}

  async relist(): Promise<Result<RelistResult>> {
    const sandboxes = await this.cri.listPodSandbox({ labelSelector: managedSelector() });
    if (!sandboxes.ok) return sandboxes;
    const containers = await this.cri.listContainers({ labelSelector: managedSelector() });
    if (!containers.ok) return containers;
    const current = new Map<string, string>();
    const present = new Set<string>();
    const record = (id: string, labels: Record<string, string>, state: string): void => {
      const uid = labels[LABELS.podUid];
      if (uid === undefined || uid === '') return;
      present.add(uid);
      current.set(id, `${uid}|${state}`);
    };
    for (const s of sandboxes.value) record(`sandbox/${s.id}`, s.labels, s.state);
    for (const c of containers.value) record(`container/${c.id}`, c.labels, c.state);
    const changed = new Set<string>();
    for (const [id, value] of current) if (this.previous.get(id) !== value) changed.add(uidOf(value));
    for (const [id, value] of this.previous) if (!current.has(id)) changed.add(uidOf(value));
    this.previous = current;
    return ok({ changed, present });
  }
}

function uidOf(entry: string): string {
  return entry.slice(0, entry.lastIndexOf('|'));
}
