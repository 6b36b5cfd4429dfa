import { z } from 'zod';

/**
 * The messages between the benchmark and its hollow-edge worker processes (over the fork IPC
 * channel). Every timestamp is Date.now() in the process that saw the event: all processes run
 * on one machine, so their wall clocks agree to well under a millisecond.
 */

/** What the parent tells a worker to do. */
export type WorkerCommand =
  /** Edge k of the worker dials hubUrls[k % hubUrls.length] first (then moves as R45 says). */
  | { c: 'connect'; hubUrls: string[] }
  /** Reconnect policy after a drop: the edge's real backoff, or wait for `release`. */
  | { c: 'policy'; mode: 'backoff' | 'hold' }
  | { c: 'release' }
  | { c: 'echo'; url: string; roundTrips: number; frameBytes: number }
  | { c: 'storm'; host: string; port: number }
  | { c: 'stop' };

/** One thing that happened to one hollow edge. */
const edgeEvent = z.discriminatedUnion('e', [
  /** A dial started (after any backoff sleep). */
  z.object({ e: z.literal('dial'), node: z.string(), at: z.number() }),
  /** `welcome` received and the inventory sent: the session is in sync (protocol.md R8). */
  z.object({ e: z.literal('synced'), node: z.string(), at: z.number(), hub: z.string().optional() }),
  /** An upsert of this pod was acked (the first ack of each pod name is what the bench times). */
  z.object({ e: z.literal('acked'), node: z.string(), pod: z.string(), at: z.number() }),
  z.object({ e: z.literal('closed'), node: z.string(), at: z.number(), reason: z.string() }),
]);
export type EdgeEvent = z.infer<typeof edgeEvent>;

export const workerMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), edges: z.number(), certMs: z.number() }),
  /** Edge events, batched: the worker flushes every few ms so IPC does not cost one write per event. */
  z.object({ t: z.literal('events'), events: z.array(edgeEvent) }),
  z.object({ t: z.literal('echoDone'), connectedAt: z.number(), connectFailures: z.number(), roundTripsMs: z.array(z.number()), firstError: z.string().optional() }),
  z.object({ t: z.literal('stormDone'), doneAt: z.number(), failures: z.number(), firstError: z.string().optional() }),
  z.object({ t: z.literal('error'), message: z.string() }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

/** How a worker is configured, passed as one JSON argument. */
export const workerConfigSchema = z.object({
  /** Node names this worker hosts. */
  nodes: z.array(z.string().min(1)),
  caCertFile: z.string(),
  caKeyFile: z.string(),
  /** The one key pair every hollow edge shares (signing only N certificates keeps setup short). */
  sharedKeyFile: z.string(),
  /** Dials in flight at once per worker, for the initial connect, the held resync and the storm. */
  dialConcurrency: z.number().int().positive(),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
