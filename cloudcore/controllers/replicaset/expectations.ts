/** How long an expectation may wait to be observed before the controller stops trusting it (Kubernetes: 5 minutes). */
const EXPECTATION_TTL_MS = 5 * 60_000;

interface Pending {
  creates: number;
  deletes: Set<string>;
  since: number;
}

/**
 * What a ReplicaSet's last sync asked for and the pod informer has not shown yet (Kubernetes'
 * ControllerExpectations, with deletions tracked by pod name as its UIDTrackingControllerExpectations
 * does). Until they are observed the cache is stale, and a sync would create or delete twice.
 */
export class PodExpectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  expectCreations(rsKey: string, count: number): void {
    this.entry(rsKey).creates += count;
  }

  expectDeletions(rsKey: string, podNames: readonly string[]): void {
    const entry = this.entry(rsKey);
    for (const name of podNames) entry.deletes.add(name);
  }

  creationObserved(rsKey: string): void {
    const entry = this.pending.get(rsKey);
    if (entry !== undefined) entry.creates = Math.max(0, entry.creates - 1);
  }

  deletionObserved(rsKey: string, podName: string): void {
    this.pending.get(rsKey)?.deletes.delete(podName);
  }

  /** True when nothing is outstanding, or what is has waited past its TTL. */
  satisfied(rsKey: string): boolean {
    const entry = this.pending.get(rsKey);
    if (entry === undefined) return true;
    if ((entry.creates <= 0 && entry.deletes.size === 0) || this.now() - entry.since > EXPECTATION_TTL_MS) {
      this.pending.delete(rsKey);
      return true;
    }
    return false;
  }

  forget(rsKey: string): void {
    this.pending.delete(rsKey);
  }

  private entry(rsKey: string): Pending {
    let entry = this.pending.get(rsKey);
    if (entry === undefined || (entry.creates <= 0 && entry.deletes.size === 0)) {
      entry = { creates: 0, deletes: new Set(), since: this.now() };
      this.pending.set(rsKey, entry);
    }
    return entry;
  }
}
