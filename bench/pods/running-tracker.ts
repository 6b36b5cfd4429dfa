import { z } from 'zod';

/**
 * Reads the cloud API's pod watch and remembers, per pod name, when it was first seen with
 * status.phase Running. Times are performance.now() values of the benchmark process, taken when
 * the chunk arrived (bench/api/kube-client.ts). A waiter may register before or after the event.
 */
const podEventSchema = z.object({
  type: z.string(),
  object: z.object({
    metadata: z.object({ name: z.string(), uid: z.string().optional() }),
    status: z.object({ phase: z.string().optional() }).optional(),
  }),
});

export interface PodPhaseEvent {
  type: string;
  name: string;
  uid: string | undefined;
  phase: string | undefined;
}

/** One watch line → the pod event; undefined for a line that is not a pod watch event (e.g. an ERROR Status). */
export function parsePodEvent(line: string): PodPhaseEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined; // counted by the caller as a bad line
  }
  const parsed = podEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { type, object } = parsed.data;
  return { type, name: object.metadata.name, uid: object.metadata.uid, phase: object.status?.phase };
}

export interface RunningSeen {
  at: number;
  uid: string | undefined;
}

export class RunningTracker {
  private readonly seen = new Map<string, RunningSeen>();
  private readonly waiters = new Map<string, (seen: RunningSeen | undefined) => void>();
  badLines = 0;

  /** Feed one watch line. */
  onLine(line: string, receivedAt: number): void {
    const event = parsePodEvent(line);
    if (event === undefined) {
      this.badLines++;
      return;
    }
    if (event.type === 'DELETED' || event.phase !== 'Running' || this.seen.has(event.name)) return;
    const seen = { at: receivedAt, uid: event.uid };
    this.seen.set(event.name, seen);
    const waiter = this.waiters.get(event.name);
    this.waiters.delete(event.name);
    waiter?.(seen);
  }

  /** When `name` was first seen Running; undefined after timeoutMs or when the signal aborts. */
  waitRunning(name: string, timeoutMs: number, signal: AbortSignal): Promise<RunningSeen | undefined> {
    const already = this.seen.get(name);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve) => {
      const finish = (seen: RunningSeen | undefined): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(name);
        resolve(seen);
      };
      const onAbort = (): void => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(name, finish);
    });
  }

  runningAt(name: string): RunningSeen | undefined {
    return this.seen.get(name);
  }
}
