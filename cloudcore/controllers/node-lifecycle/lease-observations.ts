/**
 * When the cloud last saw each node show a sign of life, on the cloud's own clock (protocol.md
 * R24): a change of its Lease, or of its Ready heartbeat. Kubernetes' node lifecycle controller
 * keeps the same "probe timestamp"; it never trusts renewTime, which comes from the node's clock.
 */
export class LeaseObservations {
  private readonly seen = new Map<string, { version: string; at: number }>();

  /**
   * Records `version` (a Lease resourceVersion, or a heartbeat time) for the node. The time moves
   * only when the version differs from the last one seen, so a replay of the same state (a relist)
   * is not mistaken for a renewal. The first sighting counts as fresh, as in Kubernetes: a
   * restarted cloud gives every node a full grace period.
   */
  observe(node: string, source: 'lease' | 'heartbeat', version: string, now: number): boolean {
    const key = `${source}\u0000${node}`;
    const previous = this.seen.get(key);
    if (previous?.version === version) return false;
    this.seen.set(key, { version, at: now });
    this.touch(node, now);
    return true;
  }

  /** The node was seen for the first time (e.g. its Node appeared): it starts fresh. */
  firstSeen(node: string, now: number): void {
    if (!this.seen.has(this.lastKey(node))) this.touch(node, now);
  }

  lastObserved(node: string): number | undefined {
    return this.seen.get(this.lastKey(node))?.at;
  }

  /** No sign of life for at least the grace period. A node never seen is not judged. */
  isStale(node: string, now: number, gracePeriodMs: number): boolean {
    const last = this.lastObserved(node);
    return last !== undefined && now - last >= gracePeriodMs;
  }

  forget(node: string): void {
    for (const source of ['lease', 'heartbeat', 'last']) this.seen.delete(`${source}\u0000${node}`);
  }

  private touch(node: string, now: number): void {
    this.seen.set(this.lastKey(node), { version: '', at: now });
  }

  private lastKey(node: string): string {
    return `last\u0000${node}`;
  }
}
