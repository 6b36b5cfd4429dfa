/**
 * The parts of API objects `outpost status` reads, as zod schemas: the answers come over the
 * network (a trust boundary, docs/architecture.md § Input). Everything is optional and unknown
 * fields are kept out of the way, so an object missing a field shows as "-" rather than failing
 * the whole screen.
 */
import { z } from 'zod';

const text = z.string().max(4096);
const labels = z.record(z.string(), z.string()).optional();

const metadata = z.object({
  name: text,
  namespace: text.optional(),
  annotations: labels,
  labels,
  creationTimestamp: text.optional(),
  deletionTimestamp: text.optional(),
});

export const nodeSchema = z.object({
  metadata,
  status: z
    .object({
      conditions: z.array(z.object({ type: text, status: text, reason: text.optional(), lastHeartbeatTime: text.optional() })).optional(),
      nodeInfo: z.object({ kubeletVersion: text.optional() }).optional(),
    })
    .optional(),
});

export const leaseSchema = z.object({
  metadata,
  spec: z
    .object({
      holderIdentity: text.optional(),
      leaseDurationSeconds: z.number().optional(),
      renewTime: text.optional(),
    })
    .optional(),
});

const containerStatus = z.object({
  ready: z.boolean().optional(),
  restartCount: z.number().optional(),
  state: z.object({ waiting: z.object({ reason: text.optional() }).optional(), terminated: z.object({ reason: text.optional() }).optional() }).optional(),
});

export const podSchema = z.object({
  metadata,
  spec: z.object({ nodeName: text.optional(), containers: z.array(z.unknown()).optional() }).optional(),
  status: z.object({ phase: text.optional(), reason: text.optional(), containerStatuses: z.array(containerStatus).optional() }).optional(),
});

export const deviceSchema = z.object({
  metadata,
  spec: z.object({ nodeName: text.optional() }).optional(),
  status: z.object({ state: text.optional(), twinsInSync: text.optional(), lastOnlineTime: text.optional() }).optional(),
});

export type NodeObject = z.infer<typeof nodeSchema>;
export type LeaseObject = z.infer<typeof leaseSchema>;
export type PodObject = z.infer<typeof podSchema>;
export type DeviceObject = z.infer<typeof deviceSchema>;

/** The items of a List answer that parse; the ones that do not are counted, never fatal. */
export function parseItems<T>(schema: z.ZodType<T>, body: unknown): { items: T[]; skipped: number } {
  const list = z.object({ items: z.array(z.unknown()).nullable().optional() }).safeParse(body);
  const raw = list.success ? (list.data.items ?? []) : [];
  const items: T[] = [];
  let skipped = list.success ? 0 : 1;
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
    else skipped++;
  }
  return { items, skipped };
}
