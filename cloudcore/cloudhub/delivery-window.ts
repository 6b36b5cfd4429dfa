import type { NodeChange } from '../edgecontroller/index.js';

export interface DeliveryWindowOptions {
  /** Most versions in flight (sent, unacked) at once (protocol.md R12). */
  maxInFlight: number;
  resendAfterMs: number;
  now: () => number;
  /** Writes a frame; false when the session cannot take more now (it will pump again later). */
  send: (frame: string) => boolean;
  onResend?: () => void;
  /** The largest frame the edge accepts (protocol.md R6); a bigger one is never sent (R37). */
  maxFrameBytes: number;
  /** An object whose frame is over maxFrameBytes: it is dropped from the window and reported (R37). */
  onUndeliverable: (change: NodeChange, frameBytes: number) => void;
}

/**
 * One session's downstream state (protocol.md R10–R12): for each uid only the newest version the
 * edge must reach, which of those are queued, and which are in flight since when. A superseded
 * version simply disappears from the map, so it is never resent.
 */
export class DeliveryWindow {
  private readonly wanted = new Map<string, NodeChange>();
  private readonly queued = new Set<string>();
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly options: DeliveryWindowOptions) {}

  /** Objects not yet acked at their newest version (queued + in flight). */
  get depth(): number {
    return this.wanted.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  offer(change: NodeChange): void {
    this.wanted.set(change.uid, change);
    // A newer version replaces one in flight: that slot is free again, the new one goes next.
    this.inFlight.delete(change.uid);
    this.queued.add(change.uid);
    this.pump();
  }

  /** An ack counts only for the newest version of that uid (R11). Returns whether it did. */
  ack(uid: string, resourceVersion: string): boolean {
    const change = this.wanted.get(uid);
    if (change === undefined || change.resourceVersion !== resourceVersion) return false;
    this.wanted.delete(uid);
    this.queued.delete(uid);
    this.inFlight.delete(uid);
    return true;
  }

  /** Sends queued versions while the window has room. */
  pump(): void {
    for (const uid of this.queued) {
      if (this.inFlight.size >= this.options.maxInFlight) return;
      const change = this.wanted.get(uid);
      this.queued.delete(uid);
      if (change === undefined) continue;
      const frame = change.frame();
      if (!this.deliverable(change, frame)) continue;
      if (!this.options.send(frame)) {
        this.queued.add(uid);
        return;
      }
      this.inFlight.set(uid, this.options.now());
    }
  }

  /**
   * The edge closes the session on a frame above its limit, and would on every reconnect: one
   * such object would wedge the node's whole sync (R37). It is skipped and reported instead.
   */
  private deliverable(change: NodeChange, frame: string): boolean {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: most frames need no byte count at all.
    if (frame.length * 3 <= this.options.maxFrameBytes) return true;
    const bytes = Buffer.byteLength(frame, 'utf8');
    if (bytes <= this.options.maxFrameBytes) return true;
    this.wanted.delete(change.uid);
    this.queued.delete(change.uid);
    this.inFlight.delete(change.uid);
    this.options.onUndeliverable(change, bytes);
    return false;
  }

  /** Resends what has waited longer than the timeout; returns how many were resent. */
  resendDue(): number {
    const now = this.options.now();
    let resent = 0;
    for (const [uid, sentAt] of this.inFlight) {
      if (now - sentAt < this.options.resendAfterMs) continue;
      const change = this.wanted.get(uid);
      if (change === undefined) continue;
      if (!this.options.send(change.frame())) break;
      this.inFlight.set(uid, now);
      this.options.onResend?.();
      resent++;
    }
    this.pump();
    return resent;
  }
}
