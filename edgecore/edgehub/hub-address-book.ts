/**
 * Which hub the edge dials (protocol.md R45; docs/failover.md § How an edge chooses and moves).
 * The list is the cloud's (kept in edge.db, so it outlives a restart), used only while the hub the
 * edge is on appears in it; the configured hub URL (`--server`'s join answer, or edgehub.server)
 * is the fallback, tried once every listed hub has failed in this outage. When to dial is not
 * decided here: the reconnect backoff does (R20).
 *
 * - At start the edge picks a random listed hub, so a fleet restarting together spreads out.
 * - It stays on a hub while it works. When the link drops or a dial fails, that hub (and the
 *   answering cloudcore the list names first) count as tried, and the next is a random untried
 *   listed hub, so the edges of a dead cloudcore spread over the survivors rather than all
 *   landing on the next in line; then the fallback; then the round starts again.
 */
import { uniqueHubUrls } from '../../shared/protocol/index.js';

export interface HubListStore {
  list(): string[];
  replace(urls: readonly string[]): boolean;
}

export class HubAddressBook {
  private hubs: string[];
  private current: string;
  /** The cloudcore that answered the last welcome or update: the list's first entry. */
  private answering: string | undefined;
  private readonly tried = new Set<string>();
  private readonly fallback: string;

  constructor(
    fallback: string,
    private readonly store: HubListStore | undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.fallback = fallback.replace(/\/$/, '');
    this.hubs = store?.list() ?? [];
    this.current = this.pick(this.hubs) ?? this.fallback;
  }

  /** The URL to dial now. */
  url(): string {
    return this.current;
  }

  list(): readonly string[] {
    return this.hubs;
  }

  /** The session reached welcome: a new outage starts a new round. */
  connected(hubs: readonly string[] | undefined): void {
    this.tried.clear();
    if (hubs !== undefined) this.update(hubs);
  }

  /**
   * A new list from a welcome or an update, the answering cloudcore first; saved in edge.db. The
   * list is for an edge that reaches the cloudcores by the addresses they publish: when the hub it
   * is on is not in the list (a proxy, a load balancer, another name for the cloud), the others'
   * addresses say nothing about what this edge can reach, so it keeps to its configured hub and
   * keeps no list.
   */
  update(hubs: readonly string[]): void {
    const next = uniqueHubUrls(hubs);
    const usable = next.includes(this.current);
    this.hubs = usable ? next : [];
    this.answering = usable ? next[0] : undefined;
    this.store?.replace(this.hubs);
  }

  /** The current hub failed (a dial, or a link that dropped): moves to the next one to try. */
  failed(): string {
    this.tried.add(this.current);
    if (this.answering !== undefined) this.tried.add(this.answering);
    const untried = this.hubs.filter((url) => !this.tried.has(url));
    const next = this.pick(untried) ?? (this.tried.has(this.fallback) ? undefined : this.fallback);
    if (next !== undefined) {
      this.current = next;
      return next;
    }
    // Every hub failed this round: start again, anywhere but where we just were when there is a choice.
    this.tried.clear();
    this.answering = undefined;
    const candidates = uniqueHubUrls([...this.hubs, this.fallback]);
    const others = candidates.filter((url) => url !== this.current);
    this.current = this.pick(others.length > 0 ? others : candidates) ?? this.fallback;
    return this.current;
  }

  private pick(urls: readonly string[]): string | undefined {
    if (urls.length === 0) return undefined;
    return urls[Math.min(urls.length - 1, Math.floor(this.random() * urls.length))];
  }
}
