import type { KubeObject } from '../../../shared/k8s/types.js';

/** How long an expectation waits for the informer before the controller acts without it (client-go: 5 min). */
const EXPECTATION_TTL_MS = 5 * 60_000;

interface Pending {
  created: Set<string>;
  deleted: Set<string>;
  since: number;
}

/**
 * client-go's controller expectations: after creating or deleting pods, a Job is not managed
 * again until the informer shows those changes, so a reconcile that runs ahead of the watch never
 * creates the same pods twice.
 */
export class PodExpectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number) {}

  expect(jobKey: string, created: readonly string[], deletedUids: readonly string[]): void {
    if (created.length === 0 && deletedUids.length === 0) return;
    const entry = this.pending.get(jobKey) ?? { created: new Set(), deleted: new Set(), since: this.now() };
    for (const name of created) entry.created.add(name);
    for (const uid of deletedUids) entry.deleted.add(uid);
    entry.since = this.now();
    this.pending.set(jobKey, entry);
  }

  /** True when the pods the informer shows include every created pod and no longer run the deleted ones. */
  satisfied(jobKey: string, pods: readonly KubeObject[]): boolean {
    const entry = this.pending.get(jobKey);
    if (entry === undefined) return true;
    if (this.now() - entry.since > EXPECTATION_TTL_MS) {
      this.pending.delete(jobKey);
      return true;
    }
    const names = new Set(pods.map((p) => p.metadata.name ?? ''));
    for (const name of entry.created) if (names.has(name)) entry.created.delete(name);
    const live = new Set(pods.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.uid ?? ''));
    for (const uid of entry.deleted) if (!live.has(uid)) entry.deleted.delete(uid);
    if (entry.created.size > 0 || entry.deleted.size > 0) return false;
    this.pending.delete(jobKey);
    return true;
  }

  forget(jobKey: string): void {
    this.pending.delete(jobKey);
  }
}
